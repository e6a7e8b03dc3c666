import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ProviderError } from "../../../core/index.js";
import { decodeGeminiThoughtSignature } from "./gemini-tool-call-id.js";
import { parseGeminiResponse } from "./parse-gemini-response.js";

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8"));
const context = { provider: "gemini", model: "gemini-asked" };

const failure = (body: unknown): ProviderError => {
  try {
    parseGeminiResponse(body, context);
  } catch (error) {
    if (error instanceof ProviderError) return error;
    throw error;
  }
  throw new Error("expected a ProviderError");
};

const withCandidate = (candidate: object): object => ({ candidates: [candidate], usageMetadata: { promptTokenCount: 3 } });

describe("parseGeminiResponse", () => {
  it("reads a text answer (WIRE §4.3)", () => {
    expect(parseGeminiResponse(fixture("generate-content-text.json"), context)).toEqual({
      id: "38CHaLjMG6TujrEPtvTiuQk",
      model: "gemini-2.0-flash",
      message: { role: "assistant", content: "Google's headquarters is in **Mountain View, California**.\n", toolCalls: [] },
      finish: { unified: "stop", raw: "STOP" },
      usage: { inputTokens: 7, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 22, reasoningTokens: 0 },
    });
  });

  it("reads several candidates (candidateCount) as choices, each with its own finish and tool calls", () => {
    const response = parseGeminiResponse(
      {
        candidates: [
          { content: { parts: [{ text: "first" }], role: "model" }, finishReason: "STOP", index: 0 },
          { content: { parts: [{ text: "cut" }], role: "model" }, finishReason: "MAX_TOKENS", index: 1 },
          { content: { parts: [{ functionCall: { name: "now", args: {} } }], role: "model" }, finishReason: "STOP", index: 2 },
        ],
        usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 12 },
        modelVersion: "gemini-2.0-flash",
      },
      context,
    );
    expect(response.message.content).toBe("first");
    expect(response.choices?.map((c) => [c.message.content, c.finish.unified, c.message.toolCalls.map((t) => t.name)])).toEqual([
      ["first", "stop", []],
      ["cut", "length", []],
      [null, "tool_calls", ["now"]],
    ]);
    expect(response.usage.outputTokens).toBe(12);
    expect(parseGeminiResponse(withCandidate({ content: { parts: [{ text: "one" }] }, finishReason: "STOP" }), context).choices).toBeUndefined();
  });

  it("reads function calls with synthesized ids, STOP as tool_calls, thinking and cached tokens", () => {
    const response = parseGeminiResponse(fixture("generate-content-tool-calls.json"), context);
    expect(response.message.content).toBe("Let me check both.");
    expect(response.message.toolCalls.map((call) => ({ name: call.name, arguments: call.arguments }))).toEqual([
      { name: "get_weather", arguments: '{"location":"Boston, MA"}' },
      { name: "get_time", arguments: '{"tz":"America/New_York"}' },
    ]);
    const [first, second] = response.message.toolCalls;
    expect(first?.id.startsWith("call_0__ts__")).toBe(true);
    expect(decodeGeminiThoughtSignature(first?.id ?? "")).toBe("CiQB0e2Kb+/sig==");
    expect(second?.id).toBe("call_1");
    expect(response.finish).toEqual({ unified: "tool_calls", raw: "STOP" });
    expect(response.usage).toEqual({ inputTokens: 2006, cachedInputTokens: 1920, cacheWriteTokens: 0, outputTokens: 64, reasoningTokens: 24 });
  });

  it("keeps Gemini's own call ids and reads absent args as {}", () => {
    const response = parseGeminiResponse(
      withCandidate({ content: { parts: [{ functionCall: { name: "now", id: "fc-1" } }], role: "model" }, finishReason: "STOP" }),
      context,
    );
    expect(response.message.toolCalls).toEqual([{ id: "fc-1", name: "now", arguments: "{}" }]);
    expect(response.model).toBe("gemini-asked");
    expect(response.id).toBe("");
  });

  it("answers a blocked prompt with an empty content_filter finish", () => {
    const response = parseGeminiResponse(fixture("generate-content-blocked.json"), context);
    expect(response.message).toEqual({ role: "assistant", content: null, toolCalls: [] });
    expect(response.finish).toEqual({ unified: "content_filter", raw: "SAFETY" });
    expect(response.usage.inputTokens).toBe(12);
  });

  it.each<[string, string]>([
    ["MAX_TOKENS", "length"],
    ["SAFETY", "content_filter"],
    ["RECITATION", "content_filter"],
    ["PROHIBITED_CONTENT", "content_filter"],
    ["MALFORMED_FUNCTION_CALL", "error"],
    ["OTHER", "stop"],
    ["SOMETHING_NEW", "stop"],
  ])("maps finishReason %s to %s (WIRE §8.1)", (raw, unified) => {
    const response = parseGeminiResponse(withCandidate({ finishReason: raw }), context);
    expect(response.finish).toEqual({ unified, raw });
    expect(response.message.content).toBeNull();
  });

  it("keeps thought summaries out of the answer, as its reasoning", () => {
    const response = parseGeminiResponse(
      withCandidate({ content: { parts: [{ text: "pondering", thought: true }, { text: "42" }] }, finishReason: "STOP" }),
      context,
    );
    expect(response.message.content).toBe("42");
    expect(response.message.reasoning).toBe("pondering");
  });

  it("classifies an error body sent with 200 and refuses other shapes as invalid_response", () => {
    expect(failure({ error: { code: 503, status: "UNAVAILABLE", message: "overloaded" } }).kind).toBe("overloaded");
    expect(failure("nope").kind).toBe("invalid_response");
    expect(failure({ candidates: [] }).kind).toBe("invalid_response");
    expect(failure({ candidates: "x" }).kind).toBe("invalid_response");
    expect(failure(withCandidate({ content: { parts: [{ functionCall: { args: {} } }] } })).kind).toBe("invalid_response");
  });
});
