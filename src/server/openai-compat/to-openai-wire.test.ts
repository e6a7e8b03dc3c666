import { describe, expect, it } from "vitest";
import type { StreamChunk } from "../../gateway/completion-types.js";
import { toOpenAIChunkText, toOpenAIChunks } from "./to-openai-wire.js";

type Chunk = Exclude<StreamChunk, { kind: "error" }>;

/** What the door wrote before the template: each OpenAI chunk through JSON.stringify. */
const stringified = (chunk: Chunk, model: string, includeUsage: boolean, opened: Set<number>): string =>
  toOpenAIChunks(chunk, model, 1_700_000_000, includeUsage, opened)
    .map((data) => `data: ${JSON.stringify(data)}\n\n`)
    .join("");

describe("toOpenAIChunkText", () => {
  const texts = ["hi", 'say "quoted" \\ back\nslash', "é ünï 日本 \u2028 \u0000 😀", ""];
  for (const includeUsage of [false, true]) {
    it(`writes a text delta byte for byte as the stringified chunk (include_usage ${includeUsage})`, () => {
      const model = 'gpt-"4o"\u00e9';
      const viaTemplate = new Set<number>();
      const viaObjects = new Set<number>();
      for (const text of texts) {
        const chunk: Chunk = { kind: "delta", callId: "01JCALL", index: 0, deployment: "d", text };
        expect(toOpenAIChunkText(chunk, model, 1_700_000_000, includeUsage, viaTemplate)).toBe(stringified(chunk, model, includeUsage, viaObjects));
      }
      expect([...viaTemplate]).toEqual([...viaObjects]);
    });
  }

  it("writes every other chunk as the stringified chunks, one after another", () => {
    const usage = { inputTokens: 3, outputTokens: 5, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };
    const chunks: Chunk[] = [
      { kind: "delta", callId: "c", index: 0, deployment: "d", text: "second choice", choice: 1 },
      { kind: "delta", callId: "c", index: 1, deployment: "d", reasoning: "thinking" },
      { kind: "delta", callId: "c", index: 2, deployment: "d", toolCallDeltas: [{ index: 0, id: "t1", name: "f", argumentsDelta: "{}" }] },
      { kind: "done", callId: "c", index: 3, deployment: "d", finish: { unified: "stop", raw: "stop" }, usage, costPico: 0n, model: "m" },
    ] as Chunk[];
    const a = new Set<number>();
    const b = new Set<number>();
    for (const chunk of chunks) expect(toOpenAIChunkText(chunk, "m", 1_700_000_000, true, a)).toBe(stringified(chunk, "m", true, b));
  });
});
