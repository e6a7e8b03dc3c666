import { describe, expect, it } from "vitest";
import { countEmbeddingTokens, countPromptTokens, embeddingInputSize, promptTokenBound } from "./prompt-size.js";

const ask = (content: string) => ({ messages: [{ role: "user" as const, content }] });

describe("prompt size", () => {
  it("bounds the exact count from above without tokenizing, UTF-8 included", () => {
    for (const text of ["hello world", "héllo 日本 🚀 ".repeat(50), "x".repeat(5000), "The quick brown fox. ".repeat(300)]) {
      expect(promptTokenBound(ask(text))).toBeGreaterThanOrEqual(countPromptTokens(ask(text)));
    }
  });

  it("counts real tokens (far fewer than bytes for English text)", () => {
    const count = countPromptTokens(ask("The quick brown fox jumps over the lazy dog. ".repeat(100)));
    expect(count).toBeGreaterThan(900);
    expect(count).toBeLessThan(1200);
  });

  it("sizes an embedding input by its texts: the bound is above the exact count", () => {
    const input = ["héllo 日本 🚀 ".repeat(50), "The quick brown fox. ".repeat(300)];
    const size = embeddingInputSize(input);
    expect(size.bound).toBeGreaterThanOrEqual(countEmbeddingTokens(input));
    expect(countEmbeddingTokens(input)).toBeGreaterThan(1000);
    expect(size.estimate).toBe(input.reduce((sum, text) => sum + Math.ceil(text.length / 4), 0));
  });
});
