import { describe, expect, it } from "vitest";
import { SseError } from "../../http/sse-events.js";
import { geminiStreamPayloads } from "./gemini-stream-payloads.js";

const CHUNKS = [
  '{"candidates": [{"content": {"parts": [{"text": "héllo 日本 🚀"}],"role": "model"}}]}',
  '{"candidates": [{"content": {"parts": [{"text": "!"}],"role": "model"},"finishReason": "STOP"}]}',
];
const PRETTY_ERROR = '{\n  "error": {\n    "code": 503,\n    "message": "The model is overloaded.",\n    "status": "UNAVAILABLE"\n  }\n}';

async function* fromChunks(chunks: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield chunk;
}

const collect = async (chunks: Uint8Array[], maxBufferSize?: number): Promise<string[]> => {
  const out: string[] = [];
  const options = maxBufferSize !== undefined ? { maxBufferSize } : {};
  for await (const payload of geminiStreamPayloads(fromChunks(chunks), options)) out.push(payload);
  return out;
};

const splitsEverywhere = async (text: string, expected: string[]): Promise<void> => {
  const bytes = Buffer.from(text, "utf8");
  for (let split = 1; split < bytes.length; split++) {
    const payloads = await collect([bytes.subarray(0, split), bytes.subarray(split)]);
    if (JSON.stringify(payloads) !== JSON.stringify(expected)) {
      expect.fail(`split at byte ${split} decoded differently: ${JSON.stringify(payloads)}`);
    }
  }
};

describe("geminiStreamPayloads", () => {
  for (const [label, eol] of [
    ["\\n", "\n"],
    ["\\r\\n", "\r\n"],
    ["\\r", "\r"],
  ] as const) {
    it(`yields data payloads with ${label} endings, skipping comments, at every split`, async () => {
      const text = `: keep-alive${eol}${eol}${CHUNKS.map((chunk) => `data: ${chunk}${eol}${eol}`).join("")}`;
      await splitsEverywhere(text, CHUNKS);
    });
  }

  it("yields a bare JSON error written without data:, pretty-printed or not, ended or not", async () => {
    const compact = JSON.stringify(JSON.parse(PRETTY_ERROR));
    await splitsEverywhere(`data: ${CHUNKS[0]}\n\n${PRETTY_ERROR}\n`, [CHUNKS[0] as string, PRETTY_ERROR]);
    await splitsEverywhere(`data: ${CHUNKS[0]}\n\n${PRETTY_ERROR}`, [CHUNKS[0] as string, PRETTY_ERROR]);
    await splitsEverywhere(`data: ${CHUNKS[0]}\r\n\r\n${compact}`, [CHUNKS[0] as string, compact]);
  });

  it("hands over bare text that never becomes JSON, in order, for the caller to reject", async () => {
    expect(await collect([Buffer.from(`garbage here\n\ndata: ${CHUNKS[0]}\n\n{"unfinished": `)])).toEqual([
      "garbage here",
      CHUNKS[0],
      '{"unfinished": ',
    ]);
  });

  it("drops an unterminated data event, as SSE does", async () => {
    expect(await collect([Buffer.from(`data: ${CHUNKS[0]}\n\ndata: {"cut`)])).toEqual([CHUNKS[0]]);
  });

  it("refuses to buffer runaway text", async () => {
    await expect(collect([Buffer.from(`data: ${"x".repeat(64)}`)], 16)).rejects.toBeInstanceOf(SseError);
    await expect(collect([Buffer.from(`{\n${'"x": 1,\n'.repeat(10)}`)], 16)).rejects.toBeInstanceOf(SseError);
  });
});
