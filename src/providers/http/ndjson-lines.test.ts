import { describe, expect, it } from "vitest";
import { ndjsonLines } from "./ndjson-lines.js";
import { parseJsonSafe } from "./parse-json-safe.js";

async function* fromChunks(chunks: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield chunk;
}

const LINES = [
  '{"model":"llama3.2","message":{"role":"assistant","content":"héllo 日本 🚀"},"done":false}',
  '{"model":"llama3.2","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","prompt_eval_count":26,"eval_count":298}',
];

const collect = async (chunks: Uint8Array[]) => {
  const out: unknown[] = [];
  for await (const line of ndjsonLines(fromChunks(chunks))) {
    const parsed = parseJsonSafe(line);
    out.push(parsed.ok ? parsed.value : { failed: parsed.text });
  }
  return out;
};

describe("ndjsonLines", () => {
  const bytes = Buffer.from(`${LINES[0]}\n\r\n${LINES[1]}\n`);
  const expected = LINES.map((line) => JSON.parse(line) as unknown);

  it("gives the same values when split at every byte boundary", async () => {
    for (let split = 1; split < bytes.length; split++) {
      const values = await collect([bytes.subarray(0, split), bytes.subarray(split)]);
      if (JSON.stringify(values) !== JSON.stringify(expected)) expect.fail(`split at ${split}: ${JSON.stringify(values)}`);
    }
  });

  it("parses a last line without a newline and reports non-JSON lines as failures", async () => {
    expect(await collect([Buffer.from(`not json\n${LINES[1]}`)])).toEqual([{ failed: "not json" }, expected[1]]);
  });
});
