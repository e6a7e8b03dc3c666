import { describe, expect, it } from "vitest";
import { SseError, sseEvents, type SseEvent } from "./sse-events.js";

// A recorded OpenAI stream (ids shortened), with a keep-alive comment and multi-byte UTF-8 text.
const CHUNKS = [
  '{"id":"chatcmpl-CVFj","object":"chat.completion.chunk","created":1761564674,"model":"gpt-3.5-turbo-0125","choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"kQ"}',
  '{"id":"chatcmpl-CVFj","object":"chat.completion.chunk","created":1761564674,"model":"gpt-3.5-turbo-0125","choices":[{"index":0,"delta":{"content":"héllo 日本 🚀"},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"Zz9"}',
  '{"id":"chatcmpl-CVFj","object":"chat.completion.chunk","created":1761564674,"model":"gpt-3.5-turbo-0125","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null,"obfuscation":"a"}',
  '{"id":"chatcmpl-CVFj","object":"chat.completion.chunk","created":1761564674,"model":"gpt-3.5-turbo-0125","choices":[],"usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15},"obfuscation":"8618FsxJD2gV"}',
];

const streamText = (eol: string): string =>
  [`: keep-alive${eol}${eol}`, ...CHUNKS.map((chunk) => `data: ${chunk}${eol}${eol}`), `: ping${eol}`, `data: [DONE]${eol}${eol}`].join("");

const EXPECTED: SseEvent[] = [...CHUNKS, "[DONE]"].map((data) => ({ data }));

async function* fromChunks(chunks: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield chunk;
}

const collect = async (chunks: Uint8Array[]): Promise<Array<{ event?: string | undefined; data: string }>> => {
  const events: Array<{ event?: string | undefined; data: string }> = [];
  for await (const event of sseEvents(fromChunks(chunks))) {
    events.push(event.event === undefined ? { data: event.data } : { event: event.event, data: event.data });
  }
  return events;
};

describe("sseEvents", () => {
  for (const [label, eol] of [
    ["\\n", "\n"],
    ["\\r\\n", "\r\n"],
    ["\\r", "\r"],
  ] as const) {
    describe(`with ${label} line endings`, () => {
      const bytes = Buffer.from(streamText(eol), "utf8");

      it("decodes the whole stream in one chunk", async () => {
        expect(await collect([bytes])).toEqual(EXPECTED);
        expect(EXPECTED[1]?.data).toContain("héllo 日本 🚀");
      });

      it("gives the same events when split into two chunks at every byte boundary", async () => {
        for (let split = 1; split < bytes.length; split++) {
          const events = await collect([bytes.subarray(0, split), bytes.subarray(split)]);
          if (JSON.stringify(events) !== JSON.stringify(EXPECTED)) {
            expect.fail(`split at byte ${split} decoded differently: ${JSON.stringify(events)}`);
          }
        }
      });

      it("gives the same events one byte at a time", async () => {
        const single = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
        expect(await collect(single)).toEqual(EXPECTED);
      });
    });
  }

  it("drops a leading byte order mark, also when it comes byte by byte", async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(streamText("\n"), "utf8")]);
    expect(await collect([bytes])).toEqual(EXPECTED);
    expect(await collect(Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1)))).toEqual(EXPECTED);
  });

  it("turns malformed UTF-8 into U+FFFD, including a character cut off at the end", async () => {
    const bytes = Buffer.concat([Buffer.from("data: a"), Buffer.from([0xff]), Buffer.from("b\n\ndata: c"), Buffer.from([0xe6, 0x97])]);
    expect(await collect([bytes, Buffer.from("\n\n")])).toEqual([{ data: "a\ufffdb" }, { data: "c\ufffd" }]);
  });

  it("keeps event names, joins multi-line data and drops an unterminated last event", async () => {
    const text = "event: message_start\ndata: {\"a\":1}\n\nevent: ping\ndata: one\ndata: two\n\ndata: cut off";
    expect(await collect([Buffer.from(text)])).toEqual([
      { event: "message_start", data: '{"a":1}' },
      { event: "ping", data: "one\ntwo" },
    ]);
  });

  it("refuses to buffer a runaway line", async () => {
    const chunks = [Buffer.from("data: " + "x".repeat(64))];
    const iterate = async () => {
      for await (const _ of sseEvents(fromChunks(chunks), { maxBufferSize: 16 })) {
        // drain
      }
    };
    await expect(iterate()).rejects.toBeInstanceOf(SseError);
  });
});
