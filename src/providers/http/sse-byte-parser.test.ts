import { StringDecoder } from "node:string_decoder";
import { createParser } from "eventsource-parser";
import { describe, expect, it } from "vitest";
import { SseByteParser } from "./sse-byte-parser.js";
import { SseError } from "./sse-event.js";

type Seen = Array<{ event?: string | undefined; data: string; id?: string | undefined } | { unknown: string }>;

/** What the parser reports for `chunks`: events and unknown lines, in order. */
function parse(chunks: Uint8Array[]): Seen {
  const seen: Seen = [];
  const parser = new SseByteParser({ onEvent: (event) => seen.push(event), onUnknownLine: (line) => seen.push({ unknown: line }), maxBufferSize: 1 << 20 });
  for (const chunk of chunks) parser.write(chunk);
  parser.end();
  return seen;
}

/**
 * The same bytes through eventsource-parser on decoded text, as the framer read them before: a leading byte order mark
 * dropped, a trailing CR ending a line at the end, the last line read.
 */
function reference(bytes: Uint8Array): Seen {
  const seen: Seen = [];
  const parser = createParser({
    onEvent: (event) => seen.push(event),
    onError: (error) => {
      if (error.type === "unknown-field") seen.push({ unknown: error.line! });
    },
  });
  const decoder = new StringDecoder("utf8");
  const text = decoder.write(Buffer.from(bytes)) + decoder.end();
  parser.feed(text.startsWith("\uFEFF") ? text.slice(1) : text);
  if (bytes[bytes.length - 1] === 13) parser.feed("\n");
  parser.reset({ consume: true });
  return seen;
}

const STREAMS: Record<string, string | Buffer> = {
  "LF, comments, event and id lines": ': keep-alive\n\nevent: message_start\nid: 7\ndata: {"a":"héllo 日本 🚀"}\n\n: ping\ndata: [DONE]\n\n',
  "CRLF": 'event: delta\r\ndata: {"t":"日本"}\r\n\r\n:c\r\ndata:x\r\n\r\n',
  "CR": 'data: one\rdata: two\r\revent:\rdata: 🚀\r\r',
  "mixed line ends and fields without values": "data\n\ndata:\n\nevent\ndata: a\r\n\rretry: 10\nretry: x\nid: a\u0000b\ndata: b\n\n",
  "bare JSON lines and a last line without its end": '{"error": {\n  "code": 429\n}\n}\ndata: {"x":1}\n\n[{"a": 1}]',
  "an unterminated event": "data: one\n\ndata: cut off",
  "a byte order mark": "\uFEFFdata: a\n\n\uFEFFdata: b\n\n",
  "malformed UTF-8": Buffer.concat([Buffer.from("data: a"), Buffer.from([0xff]), Buffer.from("b\n\ndata: c"), Buffer.from([0xe6, 0x97]), Buffer.from("\n\n"), Buffer.from([0xf0, 0x9f, 0x9a])]),
};

describe("SseByteParser", () => {
  for (const [label, text] of Object.entries(STREAMS)) {
    const bytes = typeof text === "string" ? Buffer.from(text, "utf8") : text;

    it(`reads ${label} as eventsource-parser reads the decoded text, in one chunk, byte by byte and split in two anywhere`, () => {
      const expected = reference(bytes);
      expect(parse([bytes])).toEqual(expected);
      expect(parse(Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1)))).toEqual(expected);
      for (let split = 0; split <= bytes.length; split++) {
        const seen = parse([bytes.subarray(0, split), bytes.subarray(split)]);
        if (JSON.stringify(seen) !== JSON.stringify(expected)) expect.fail(`split at byte ${split}: ${JSON.stringify(seen)} instead of ${JSON.stringify(expected)}`);
      }
    });
  }

  it("gives the same events for a stream cut in three anywhere, multi-byte characters and CRLF pairs included", () => {
    const bytes = Buffer.from('event: é\r\ndata: {"t":"日🚀"}\r\n\r\n: c\r\ndata: x\r\n\r\n', "utf8");
    const expected = reference(bytes);
    expect(expected).toEqual([{ event: "é", data: '{"t":"日🚀"}' }, { data: "x" }].map((event) => ({ id: undefined, event: undefined, ...event })));
    for (let first = 0; first <= bytes.length; first++) {
      for (let second = first; second <= bytes.length; second++) {
        const seen = parse([bytes.subarray(0, first), bytes.subarray(first, second), bytes.subarray(second)]);
        if (JSON.stringify(seen) !== JSON.stringify(expected)) expect.fail(`cut at ${first} and ${second}: ${JSON.stringify(seen)}`);
      }
    }
  });

  it("throws an SseError when an unfinished line or an event's data outgrows the limit", () => {
    const line = new SseByteParser({ onEvent: () => undefined, maxBufferSize: 16 });
    expect(() => line.write(Buffer.from("data: " + "x".repeat(8)))).not.toThrow();
    expect(() => line.write(Buffer.from("x".repeat(8)))).toThrow(SseError);
    const event = new SseByteParser({ onEvent: () => undefined, maxBufferSize: 16 });
    expect(() => event.write(Buffer.from("data: 0123456789\ndata: 0123456789\n"))).toThrow(SseError);
  });
});
