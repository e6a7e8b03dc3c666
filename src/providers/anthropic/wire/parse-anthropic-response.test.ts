import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ProviderError } from "../../../core/index.js";
import { parseAnthropicResponse } from "./parse-anthropic-response.js";

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8"));
const parse = (body: unknown) => parseAnthropicResponse(body, { provider: "anthropic", model: "asked-model" });

const failure = (body: unknown): ProviderError => {
  try {
    parse(body);
  } catch (error) {
    if (error instanceof ProviderError) return error;
    throw error;
  }
  throw new Error("expected a ProviderError");
};

describe("parseAnthropicResponse", () => {
  it("joins text, turns tool_use blocks into calls, keeps thinking and its signature as reasoning, and counts cached input", () => {
    expect(parse(fixture("message-tool-use.json"))).toEqual({
      id: "msg_013Zva2CMHLNnXjNJJKqJ2EF",
      model: "claude-sonnet-4-20250514",
      message: {
        role: "assistant",
        content: "I'll check the current weather in Paris for you.",
        toolCalls: [
          { id: "toolu_01NRLabsLyVHZPKxbKvkfSMn", name: "get_weather", arguments: '{"location":"Paris"}' },
          { id: "toolu_01A09q90qw90lq917835lq9", name: "get_time", arguments: "{}" },
        ],
        reasoning: "The user wants the weather.",
        reasoningSignature: "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds",
      },
      finish: { unified: "tool_calls", raw: "tool_use" },
      usage: { inputTokens: 377 + 1200 + 2048, cachedInputTokens: 2048, cacheWriteTokens: 1200, outputTokens: 65, reasoningTokens: 0 },
    });
  });

  it.each<[string, string]>([
    ["end_turn", "stop"],
    ["stop_sequence", "stop"],
    ["pause_turn", "stop"],
    ["max_tokens", "length"],
    ["model_context_window_exceeded", "length"],
    ["tool_use", "tool_calls"],
    ["refusal", "content_filter"],
    ["something_new", "stop"],
  ])("maps stop_reason %s to %s", (raw, unified) => {
    const response = parse({ id: "m", model: "c", content: [], stop_reason: raw, usage: { input_tokens: 1, output_tokens: 0 } });
    expect(response.finish).toEqual({ unified, raw });
    expect(response.message.content).toBeNull();
  });

  it("fills in what a lenient body leaves out", () => {
    expect(parse({ content: [{ type: "text", text: "a" }, { type: "text", text: "b" }] })).toEqual({
      id: "",
      model: "asked-model",
      message: { role: "assistant", content: "ab", toolCalls: [] },
      finish: { unified: "stop", raw: null },
      usage: { inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 },
    });
  });

  it("classifies an error body and rejects other shapes as invalid_response", () => {
    expect(failure({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } })).toMatchObject({
      kind: "overloaded",
      code: "overloaded_error",
    });
    for (const body of [null, "x", { content: "text" }, { content: [42] }, { content: [{ type: "tool_use", id: "t" }] }]) {
      expect(failure(body).kind).toBe("invalid_response");
    }
  });
});
