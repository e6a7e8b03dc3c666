import { describe, expect, it } from "vitest";
import { estimatePrompt } from "./estimate-prompt-tokens.js";
import { createPromptCache } from "./prompt-cache.js";

const LONG = "word ".repeat(1000);
const prompt = (question: string, system = LONG) => estimatePrompt([{ role: "system", content: system }, { role: "user", content: question }], undefined).promptPrefixes;

describe("the simulator's prompt cache", () => {
  it("writes a long prompt, then reads its longest prefix seen before (per model)", () => {
    const cache = createPromptCache();
    const first = cache.use("m", prompt("one?"));
    expect(first.read).toBe(0);
    expect(first.write).toBeGreaterThan(1024);
    const second = cache.use("m", prompt("two?"));
    const systemTokens = prompt("x")[0]!.tokens;
    expect(second.read).toBe(systemTokens);
    expect(second.write).toBe(prompt("two?").at(-1)!.tokens - systemTokens);
    expect(cache.use("m", prompt("two?"))).toEqual({ read: prompt("two?").at(-1)!.tokens, write: 0 });
    expect(cache.use("other-model", prompt("two?")).read).toBe(0);
  });

  it("neither reads nor writes a short prompt", () => {
    const cache = createPromptCache();
    expect(cache.use("m", prompt("hi", "short"))).toEqual({ read: 0, write: 0 });
    expect(cache.use("m", prompt("hi", "short"))).toEqual({ read: 0, write: 0 });
  });

  it("counts a top-level system prompt (Anthropic, Gemini, Bedrock) as a prefix of its own", () => {
    const cache = createPromptCache();
    const prefixes = (question: string) => estimatePrompt([{ role: "user", content: question }], undefined, LONG).promptPrefixes;
    cache.use("m", prefixes("a"));
    expect(cache.use("m", prefixes("b")).read).toBe(prefixes("b")[0]!.tokens);
  });

  it("forgets the oldest entries beyond its size", () => {
    const cache = createPromptCache(1, 2);
    const one = estimatePrompt([{ role: "user", content: "one" }], undefined).promptPrefixes;
    cache.use("m", one);
    cache.use("m", estimatePrompt([{ role: "user", content: "two" }], undefined).promptPrefixes);
    cache.use("m", estimatePrompt([{ role: "user", content: "three" }], undefined).promptPrefixes);
    expect(cache.use("m", one).read).toBe(0);
  });
});
