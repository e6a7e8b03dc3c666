import { createParser, type ParseError } from "eventsource-parser";
import { describe, expect, it } from "vitest";
import { SseParser } from "./sse-parser.js";

type Seen = Array<{ kind: "event"; id?: string | undefined; event?: string | undefined; data: string } | { kind: "error"; type: string; message: string; line?: string | undefined }>;

const TEXTS = [
  "data: a\n\ndata: b\ndata: c\n\n",
  "\uFEFFdata:x\r\n\r\nevent: ping\r\ndata: y\r\nid: 7\r\n\r\n",
  ": comment\n\nid: 1\nevent:delta\ndata: {\"a\":1}\n\nretry: 100\nretry: soon\nbogus: field\nnocolon\n\n",
  "data: one\rdata: two\r\r" + "event: e\nid: a\u0000b\ndata\n\n",
  "data: " + "z".repeat(40) + "\n" + "data: tail without end",
  "data: [DONE]\n\n",
];

function run(feed: (parser: { feed(chunk: string): void; reset(options?: { consume?: boolean }) : void }) => void, make: (seen: Seen) => { feed(chunk: string): void; reset(options?: { consume?: boolean }): void }): Seen {
  const seen: Seen = [];
  const parser = make(seen);
  try {
    feed(parser);
  } catch (error) {
    seen.push({ kind: "error", type: "thrown", message: (error as Error).message });
  }
  return seen;
}

const theirs = (maxBufferSize?: number) => (seen: Seen) =>
  createParser({
    onEvent: (e) => seen.push({ kind: "event", id: e.id, event: e.event, data: e.data }),
    onError: (e: ParseError) => seen.push({ kind: "error", type: e.type, message: e.message, line: e.line }),
    ...(maxBufferSize !== undefined ? { maxBufferSize } : {}),
  });
const ours = (maxBufferSize?: number) => (seen: Seen) =>
  new SseParser(
    {
      onEvent: (e) => seen.push({ kind: "event", id: e.id, event: e.event, data: e.data }),
      onError: (e) => seen.push({ kind: "error", type: e.type, message: e.message, line: e.line }),
    },
    maxBufferSize,
  );

describe("SseParser", () => {
  it("reads every text, cut at every point and character by character, as eventsource-parser does", () => {
    for (const text of TEXTS) {
      const cuts: string[][] = [[text], [...text]];
      for (let at = 1; at < text.length; at++) cuts.push([text.slice(0, at), text.slice(at)]);
      for (const pieces of cuts) {
        for (const max of [undefined, 30]) {
          const feed = (parser: { feed(chunk: string): void; reset(options?: { consume?: boolean }): void }) => {
            for (const piece of pieces) parser.feed(piece);
            parser.reset({ consume: true });
          };
          expect(run(feed, ours(max))).toEqual(run(feed, theirs(max)));
        }
      }
    }
  });
});
