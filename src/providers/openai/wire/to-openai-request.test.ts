import { describe, expect, it } from "vitest";
import { ProviderError, type ChatRequest } from "../../../core/index.js";
import { toOpenAIRequest } from "./to-openai-request.js";

const wire = (request: ChatRequest, stream = false, provider = "openai") =>
  JSON.parse(JSON.stringify(toOpenAIRequest(request, { provider, stream }))) as Record<string, unknown>;

const TOOL_IMAGE: ChatRequest["messages"] = [
      { role: "user", content: "Look at the chart" },
      { role: "assistant", content: null, toolCalls: [{ id: "call_1", name: "chart", arguments: "{}" }] },
      { role: "tool", toolCallId: "call_1", name: "chart", content: [{ type: "text", text: "the chart" }, { type: "image", url: "data:image/png;base64,iVBORw0KGgo=" }] },
    ];

describe("toOpenAIRequest", () => {
  it("refuses an image inside a tool result (tool messages take text only) instead of dropping it", () => {
    expect(() => wire({ model: "gpt-4o", messages: TOOL_IMAGE })).toThrow(/tool results take text only/);
    expect(() => wire({ model: "gpt-4o", messages: TOOL_IMAGE })).toThrow(ProviderError);
  });

  it("maps messages with tool calls and tool results, tools, tool_choice by name and a json_schema format", () => {
    expect(
      wire({
        model: "gpt-4o",
        messages: [
          { role: "system", content: "You are terse." },
          { role: "user", content: "Weather in Boston?", name: "ana" },
          {
            role: "assistant",
            content: null,
            toolCalls: [{ id: "call_abc123", name: "get_weather", arguments: '{"location":"Boston, MA"}' }],
          },
          { role: "tool", toolCallId: "call_abc123", content: '{"temp_c":21}' },
        ],
        tools: [
          {
            name: "get_weather",
            description: "Current weather",
            parameters: { type: "object", properties: { location: { type: "string" } }, required: ["location"] },
          },
        ],
        toolChoice: { name: "get_weather" },
        responseFormat: { type: "json_schema", name: "weather", schema: { type: "object" }, strict: true },
        temperature: 0.2,
        topP: 0.9,
        maxTokens: 256,
        stop: ["\n\n"],
        user: "user-42",
      }),
    ).toEqual({
      model: "gpt-4o",
      messages: [
        { role: "system", content: "You are terse." },
        { role: "user", content: "Weather in Boston?", name: "ana" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            { id: "call_abc123", type: "function", function: { name: "get_weather", arguments: '{"location":"Boston, MA"}' } },
          ],
        },
        { role: "tool", tool_call_id: "call_abc123", content: '{"temp_c":21}' },
      ],
      tools: [
        {
          type: "function",
          function: {
            name: "get_weather",
            description: "Current weather",
            parameters: { type: "object", properties: { location: { type: "string" } }, required: ["location"] },
          },
        },
      ],
      tool_choice: { type: "function", function: { name: "get_weather" } },
      response_format: { type: "json_schema", json_schema: { name: "weather", schema: { type: "object" }, strict: true } },
      temperature: 0.2,
      top_p: 0.9,
      max_tokens: 256,
      stop: ["\n\n"],
      user: "user-42",
    });
  });

  it("sends only what was set, and string tool choices and plain formats as they are", () => {
    expect(
      wire({ model: "m", messages: [{ role: "user", content: "hi" }], toolChoice: "required", responseFormat: { type: "json_object" } }),
    ).toEqual({
      model: "m",
      messages: [{ role: "user", content: "hi" }],
      tool_choice: "required",
      response_format: { type: "json_object" },
    });
  });

  it("asks streams for usage", () => {
    const body = wire({ model: "m", messages: [{ role: "user", content: "hi" }] }, true);
    expect(body.stream).toBe(true);
    expect(body.stream_options).toEqual({ include_usage: true });
  });

  it("merges the provider's own options, without letting them change the framing", () => {
    const request: ChatRequest = {
      model: "o3-mini",
      messages: [{ role: "user", content: "hi" }],
      maxTokens: 500,
      providerOptions: {
        openai: {
          maxTokensField: "max_completion_tokens",
          reasoning_effort: "low",
          seed: 7,
          stream: false,
          model: "other",
          stream_options: { include_obfuscation: false },
        },
        anthropic: { top_k: 5 },
      },
    };
    const body = wire(request, true);
    expect(body).toEqual({
      model: "o3-mini",
      messages: [{ role: "user", content: "hi" }],
      max_completion_tokens: 500,
      reasoning_effort: "low",
      seed: 7,
      stream: true,
      stream_options: { include_usage: true, include_obfuscation: false },
    });
    expect(wire(request, false, "groq")).toEqual({ model: "o3-mini", messages: [{ role: "user", content: "hi" }], max_tokens: 500 });
  });

  it("takes the deployment's max-tokens field when the request names none", () => {
    const body = toOpenAIRequest(
      { model: "o1", messages: [{ role: "user", content: "hi" }], maxTokens: 9 },
      { provider: "openai", stream: false, maxTokensField: "max_completion_tokens" },
    );
    expect(JSON.parse(JSON.stringify(body))).toEqual({ model: "o1", messages: [{ role: "user", content: "hi" }], max_completion_tokens: 9 });
  });

  it("sends image parts as image_url parts, drops cache breakpoints, and gives non-user turns their text", () => {
    const body = JSON.parse(JSON.stringify(wire({
      model: "gpt-4o",
      messages: [
        { role: "system", content: [{ type: "text", text: "Be brief.", cacheControl: { type: "ephemeral" } }] },
        { role: "user", content: [{ type: "text", text: "What is this?", cacheControl: { type: "ephemeral" } }, { type: "image", url: "https://example.com/a.png", detail: "low" }] },
      ],
    })));
    expect(body.messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: [{ type: "text", text: "What is this?" }, { type: "image_url", image_url: { url: "https://example.com/a.png", detail: "low" } }] },
    ]);
  });

  it("sends the reasoning effort as reasoning_effort, a budget as the nearest level", () => {
    expect(wire({ model: "o3", messages: [{ role: "user", content: "hi" }], reasoning: { effort: "high" } }).reasoning_effort).toBe("high");
    expect(wire({ model: "o3", messages: [{ role: "user", content: "hi" }], reasoning: { budgetTokens: 1500 } }).reasoning_effort).toBe("low");
    expect(wire({ model: "o3", messages: [{ role: "user", content: "hi" }] }).reasoning_effort).toBeUndefined();
    // OpenAI refuses it for models that do not reason; an OpenAI-compatible server gets it whatever the model.
    expect(wire({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }], reasoning: { effort: "high" } }).reasoning_effort).toBeUndefined();
    expect(wire({ model: "deepseek-reasoner", messages: [{ role: "user", content: "hi" }], reasoning: { effort: "high" } }, false, "deepseek").reasoning_effort).toBe("high");
    // Nor an Azure or compatible deployment of one of OpenAI's non-reasoning families (a Messages door `thinking` must not turn into a 400).
    expect(wire({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }], reasoning: { effort: "high" } }, false, "azure").reasoning_effort).toBeUndefined();
    expect(wire({ model: "gpt-4.1-mini", messages: [{ role: "user", content: "hi" }], reasoning: { effort: "high" } }, false, "azure").reasoning_effort).toBeUndefined();
    expect(wire({ model: "o4-mini", messages: [{ role: "user", content: "hi" }], reasoning: { effort: "high" } }, false, "azure").reasoning_effort).toBe("high");
  });
});
