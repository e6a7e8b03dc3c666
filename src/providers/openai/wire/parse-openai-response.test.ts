import { describe, expect, it } from "vitest";
import { ProviderError } from "../../../core/index.js";
import { parseOpenAIResponse } from "./parse-openai-response.js";

const context = { provider: "openai", model: "gpt-4o" };

const kindOf = (body: unknown): string => {
  try {
    parseOpenAIResponse(body, context);
  } catch (error) {
    if (error instanceof ProviderError) return error.kind;
    throw error;
  }
  return "ok";
};

describe("parseOpenAIResponse", () => {
  it.each([
    ["a string", "hello"],
    ["no choices", { id: "x", choices: [] }],
    ["a choice without message", { choices: [{ index: 0 }] }],
    ["non-string content", { choices: [{ message: { content: 42 } }] }],
    ["tool calls not a list", { choices: [{ message: { content: null, tool_calls: {} } }] }],
    ["a tool call without a name", { choices: [{ message: { content: null, tool_calls: [{ id: "c", function: {} }] } }] }],
  ])("rejects %s as invalid_response", (_label, body) => {
    expect(kindOf(body)).toBe("invalid_response");
  });

  it("classifies a 200 that carries an error object", () => {
    expect(kindOf({ error: { message: "overloaded", type: "server_error", code: null } })).toBe("server");
  });

  it("accepts what compatible servers send: missing ids, object arguments, missing usage", () => {
    const response = parseOpenAIResponse(
      { choices: [{ message: { content: null, tool_calls: [{ function: { name: "f", arguments: { a: 1 } } }] }, finish_reason: "tool_calls" }] },
      context,
    );
    expect(response).toEqual({
      id: "",
      model: "gpt-4o",
      message: { role: "assistant", content: null, toolCalls: [{ id: "call_0", name: "f", arguments: '{"a":1}' }], refusal: null },
      finish: { unified: "tool_calls", raw: "tool_calls" },
      usage: { inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 },
    });
  });

  it("reads reasoning_content of an OpenAI-compatible server as the message's reasoning", () => {
    const response = parseOpenAIResponse(
      { id: "x", model: "deepseek-reasoner", choices: [{ index: 0, message: { role: "assistant", content: "42", reasoning_content: "Let me think." }, finish_reason: "stop" }] },
      context,
    );
    expect(response.message).toMatchObject({ content: "42", reasoning: "Let me think." });
  });
});
