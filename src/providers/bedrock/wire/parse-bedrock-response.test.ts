import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ProviderError } from "../../../core/index.js";
import { convertBedrockUsage } from "./convert-bedrock-usage.js";
import { mapBedrockStopReason } from "./map-bedrock-stop-reason.js";
import { parseBedrockResponse } from "./parse-bedrock-response.js";

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8"));
const context = { provider: "bedrock", model: "anthropic.claude-3-5-sonnet-20240620-v1:0", id: "req-1" };

const kindOf = (body: unknown): string => {
  try {
    parseBedrockResponse(body, context);
  } catch (error) {
    if (error instanceof ProviderError) return error.kind;
    throw error;
  }
  return "ok";
};

describe("parseBedrockResponse", () => {
  it("reads a text answer (WIRE §5.3 sample)", () => {
    expect(parseBedrockResponse(fixture("converse-text.json"), context)).toEqual({
      id: "req-1",
      model: "anthropic.claude-3-5-sonnet-20240620-v1:0",
      message: { role: "assistant", content: 'There are **3** "r"s in "strawberry."', toolCalls: [] },
      finish: { unified: "stop", raw: "end_turn" },
      usage: { inputTokens: 22, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 57, reasoningTokens: 0 },
    });
  });

  it("reads tool calls with their input as an arguments string, and counts cached prompt tokens as input", () => {
    const response = parseBedrockResponse(fixture("converse-tool-use.json"), context);
    expect(response.message).toEqual({
      role: "assistant",
      content: "Let me check the weather.",
      toolCalls: [
        { id: "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", name: "get_weather", arguments: '{"city":"Paris"}' },
        { id: "tooluse_2Xq9bT0vRzO1m3cY7pLk4A", name: "get_time", arguments: '{"tz":"Europe/Paris"}' },
      ],
    });
    expect(response.finish).toEqual({ unified: "tool_calls", raw: "tool_use" });
    // 12 uncached + 2800 read + 200 written: the 3106 total minus the 94 output tokens.
    expect(response.usage).toEqual({ inputTokens: 3012, cachedInputTokens: 2800, cacheWriteTokens: 200, outputTokens: 94, reasoningTokens: 0 });
  });

  it("skips blocks it does not report and tolerates a missing usage", () => {
    const response = parseBedrockResponse(
      {
        output: { message: { role: "assistant", content: [{ reasoningContent: { reasoningText: { text: "hmm" } } }, { text: "A" }, { text: "B" }] } },
        stopReason: "max_tokens",
      },
      context,
    );
    expect(response.message.content).toBe("AB");
    expect(response.finish).toEqual({ unified: "length", raw: "max_tokens" });
    expect(response.usage.inputTokens).toBe(0);
  });

  it.each([
    ["a string", "hello"],
    ["no output", { stopReason: "end_turn" }],
    ["no message", { output: {} }],
    ["content not a list", { output: { message: { content: "hi" } } }],
    ["a block that is not an object", { output: { message: { content: [1] } } }],
    ["a toolUse without a name", { output: { message: { content: [{ toolUse: { toolUseId: "t" } }] } } }],
  ])("rejects %s as invalid_response", (_label, body) => {
    expect(kindOf(body)).toBe("invalid_response");
  });
});

describe("mapBedrockStopReason", () => {
  it.each([
    ["end_turn", "stop"],
    ["stop_sequence", "stop"],
    ["max_tokens", "length"],
    ["model_context_window_exceeded", "length"],
    ["tool_use", "tool_calls"],
    ["guardrail_intervened", "content_filter"],
    ["content_filtered", "content_filter"],
    ["malformed_model_output", "error"],
    ["malformed_tool_use", "error"],
    ["something_new", "stop"],
  ])("%s → %s, keeping the raw value", (raw, unified) => {
    expect(mapBedrockStopReason(raw)).toEqual({ unified, raw });
  });

  it("treats a missing reason as stop", () => {
    expect(mapBedrockStopReason(undefined)).toEqual({ unified: "stop", raw: null });
  });
});

describe("convertBedrockUsage", () => {
  it("ignores junk values", () => {
    expect(convertBedrockUsage({ inputTokens: "5", outputTokens: -1, cacheReadInputTokens: Number.NaN })).toEqual({
      inputTokens: 0,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: 0,
      reasoningTokens: 0,
    });
  });

describe("Bedrock reasoning", () => {
  it("reads reasoningContent blocks as the message's reasoning, skipping redacted ones", () => {
    const response = parseBedrockResponse(
      {
        output: { message: { role: "assistant", content: [{ reasoningContent: { reasoningText: { text: "Think.", signature: "s" } } }, { reasoningContent: { redactedContent: "AAA" } }, { text: "42" }] } },
        stopReason: "end_turn",
        usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 },
      },
      context,
    );
    expect(response.message).toMatchObject({ content: "42", reasoning: "Think." });
  });
});
});
