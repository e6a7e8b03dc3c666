import { describe, expect, it } from "vitest";
import { ProviderError, type ChatRequest } from "../../../core/index.js";
import { toBedrockRequest } from "./to-bedrock-request.js";

const wire = (request: ChatRequest, provider = "bedrock") =>
  JSON.parse(JSON.stringify(toBedrockRequest(request, { provider }))) as Record<string, unknown>;

const WEATHER_SCHEMA = { type: "object", properties: { city: { type: "string" } }, required: ["city"] };

describe("toBedrockRequest", () => {
  it("sends the images of a tool result as image blocks inside its toolResult", () => {
    const body = wire({ model: "anthropic.claude-3-5-haiku-20241022-v1:0", messages: [
      { role: "user", content: "Look at the chart" },
      { role: "assistant", content: null, toolCalls: [{ id: "call_1", name: "chart", arguments: "{}" }] },
      { role: "tool", toolCallId: "call_1", name: "chart", content: [{ type: "text", text: "the chart" }, { type: "image", url: "data:image/png;base64,iVBORw0KGgo=" }] },
    ] }) as Record<string, any>;
    expect(body.messages[2].content[0].toolResult.content).toEqual([{ text: "the chart" }, { image: { format: "png", source: { bytes: "iVBORw0KGgo=" } } }]);
  });

  it("maps system, history with tool calls and results, tools, forced tool and inference settings (WIRE §5.2)", () => {
    expect(
      wire({
        model: "anthropic.claude-3-5-sonnet-20240620-v1:0",
        messages: [
          { role: "system", content: "You are terse." },
          { role: "user", content: "Weather in Paris?" },
          {
            role: "assistant",
            content: null,
            toolCalls: [{ id: "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", name: "get_weather", arguments: '{"city":"Paris"}' }],
          },
          { role: "tool", toolCallId: "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", content: '{"temp_c":21}' },
        ],
        tools: [{ name: "get_weather", description: "Get weather", parameters: WEATHER_SCHEMA }],
        toolChoice: { name: "get_weather" },
        maxTokens: 512,
        temperature: 0.5,
        topP: 0.9,
        stop: ["END"],
        user: "user-42",
      }),
    ).toEqual({
      messages: [
        { role: "user", content: [{ text: "Weather in Paris?" }] },
        {
          role: "assistant",
          content: [{ toolUse: { toolUseId: "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", name: "get_weather", input: { city: "Paris" } } }],
        },
        { role: "user", content: [{ toolResult: { toolUseId: "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", content: [{ json: { temp_c: 21 } }] } }] },
      ],
      system: [{ text: "You are terse." }],
      inferenceConfig: { maxTokens: 512, temperature: 0.5, topP: 0.9, stopSequences: ["END"] },
      toolConfig: {
        tools: [{ toolSpec: { name: "get_weather", description: "Get weather", inputSchema: { json: WEATHER_SCHEMA } } }],
        toolChoice: { tool: { name: "get_weather" } },
      },
    });
  });

  it("merges consecutive turns of one role so the roles alternate, keeping tool results before the user's next words", () => {
    const body = wire({
      model: "m",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Weather and time in Paris?" },
        { role: "user", content: "Quickly." },
        {
          role: "assistant",
          content: "Checking.",
          toolCalls: [
            { id: "t1", name: "get_weather", arguments: '{"city":"Paris"}' },
            { id: "t2", name: "get_time", arguments: "" },
          ],
        },
        { role: "tool", toolCallId: "t1", content: "sunny, 21 °C" },
        { role: "tool", toolCallId: "t2", content: "[1,2]" },
        { role: "user", content: "And tomorrow?" },
        { role: "system", content: "Answer in French." },
      ],
    });
    expect(body.system).toEqual([{ text: "Be brief." }, { text: "Answer in French." }]);
    expect(body.messages).toEqual([
      { role: "user", content: [{ text: "Weather and time in Paris?" }, { text: "Quickly." }] },
      {
        role: "assistant",
        content: [
          { text: "Checking." },
          { toolUse: { toolUseId: "t1", name: "get_weather", input: { city: "Paris" } } },
          { toolUse: { toolUseId: "t2", name: "get_time", input: {} } },
        ],
      },
      {
        role: "user",
        content: [
          { toolResult: { toolUseId: "t1", content: [{ text: "sunny, 21 °C" }] } },
          // Only a JSON object goes as `json`: models behind Converse reject other documents there.
          { toolResult: { toolUseId: "t2", content: [{ text: "[1,2]" }] } },
          { text: "And tomorrow?" },
        ],
      },
    ]);
  });

  it("drops blank turns instead of sending empty text blocks", () => {
    const body = wire({
      model: "m",
      messages: [
        { role: "user", content: "hi" },
        { role: "assistant", content: "  " },
        { role: "user", content: "still there?" },
      ],
    });
    expect(body.messages).toEqual([{ role: "user", content: [{ text: "hi" }, { text: "still there?" }] }]);
  });

  it.each<[ChatRequest["toolChoice"], unknown]>([
    ["auto", { auto: {} }],
    ["required", { any: {} }],
    [undefined, undefined],
  ])("maps tool choice %j to %j", (toolChoice, expected) => {
    const body = wire({
      model: "m",
      messages: [{ role: "user", content: "hi" }],
      tools: [{ name: "f" }],
      ...(toolChoice !== undefined ? { toolChoice } : {}),
    });
    expect(body.toolConfig).toEqual({
      tools: [{ toolSpec: { name: "f", inputSchema: { json: { type: "object", properties: {} } } } }],
      ...(expected !== undefined ? { toolChoice: expected } : {}),
    });
  });

  it("omits toolConfig for tool choice none, and sends only what was set", () => {
    expect(
      wire({ model: "m", messages: [{ role: "user", content: "hi" }], tools: [{ name: "f" }], toolChoice: "none", responseFormat: { type: "json_object" } }),
    ).toEqual({ messages: [{ role: "user", content: [{ text: "hi" }] }] });
  });

  it("sends Converse members from providerOptions as given and everything else to the model", () => {
    const body = wire({
      model: "m",
      messages: [{ role: "user", content: "hi" }],
      providerOptions: {
        bedrock: {
          top_k: 50,
          additionalModelRequestFields: { thinking: { type: "enabled", budget_tokens: 1024 } },
          guardrailConfig: { guardrailIdentifier: "gr-1", guardrailVersion: "1" },
          performanceConfig: { latency: "optimized" },
        },
        anthropic: { top_k: 5 },
      },
    });
    expect(body).toEqual({
      messages: [{ role: "user", content: [{ text: "hi" }] }],
      additionalModelRequestFields: { thinking: { type: "enabled", budget_tokens: 1024 }, top_k: 50 },
      guardrailConfig: { guardrailIdentifier: "gr-1", guardrailVersion: "1" },
      performanceConfig: { latency: "optimized" },
    });
    expect(wire({ model: "m", messages: [{ role: "user", content: "hi" }], providerOptions: { bedrock: { top_k: 1 } } }, "other")).toEqual({
      messages: [{ role: "user", content: [{ text: "hi" }] }],
    });
  });

  it("refuses tool-call arguments that are not JSON", () => {
    const request: ChatRequest = {
      model: "m",
      messages: [
        { role: "user", content: "hi" },
        { role: "assistant", content: null, toolCalls: [{ id: "t1", name: "f", arguments: "{oops" }] },
      ],
    };
    let error: unknown;
    try {
      toBedrockRequest(request, { provider: "bedrock" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).kind).toBe("bad_request");
    expect((error as ProviderError).retryable).toBe(false);
  });

  it("sends base64 images as image bytes with their format, and cache breakpoints as cachePoint blocks", () => {
    const body = wire({
      model: "m",
      messages: [
        { role: "system", content: [{ type: "text", text: "Handbook", cacheControl: { type: "ephemeral" } }] },
        { role: "user", content: [{ type: "text", text: "What is this?" }, { type: "image", url: "data:image/jpeg;base64,/9j/4AAQ" }] },
      ],
      tools: [{ name: "lookup", parameters: { type: "object" }, cacheControl: { type: "ephemeral" } }],
    }) as Record<string, any>;
    expect(body.system).toEqual([{ text: "Handbook" }, { cachePoint: { type: "default" } }]);
    expect(body.messages).toEqual([{ role: "user", content: [{ text: "What is this?" }, { image: { format: "jpeg", source: { bytes: "/9j/4AAQ" } } }] }]);
    expect(body.toolConfig.tools[1]).toEqual({ cachePoint: { type: "default" } });
  });

  it("refuses an image URL and an image type Converse does not take, before anything is sent", () => {
    for (const url of ["https://example.com/a.png", "data:image/tiff;base64,AAAA"]) {
      let error: unknown;
      try {
        wire({ model: "m", messages: [{ role: "user", content: [{ type: "image", url }] }] });
      } catch (e) {
        error = e;
      }
      expect(ProviderError.isInstance(error) && error.kind === "bad_request", url).toBe(true);
    }
  });

  it("gives Claude with thinking on only the sampling settings thinking accepts; other models keep theirs", () => {
    const messages: ChatRequest["messages"] = [{ role: "user", content: "hi" }];
    const claude = wire({ model: "anthropic.claude-sonnet-4-20250514-v1:0", messages, reasoning: { effort: "low" }, temperature: 0.3, topP: 0.5, maxTokens: 9000 });
    expect(claude.inferenceConfig).toEqual({ maxTokens: 9000 });
    expect(wire({ model: "anthropic.claude-sonnet-4-20250514-v1:0", messages, temperature: 0.3 }).inferenceConfig).toEqual({ temperature: 0.3 });
    expect(wire({ model: "openai.gpt-oss-120b-1:0", messages, reasoning: { effort: "low" }, temperature: 0.3 }).inferenceConfig).toEqual({ temperature: 0.3 });
    const tools = [{ name: "f", parameters: { type: "object" } }];
    expect(() => wire({ model: "anthropic.claude-sonnet-4-20250514-v1:0", messages, reasoning: { effort: "low" }, tools, toolChoice: "required" })).toThrow(ProviderError);
  });

  it("maps reasoning to Claude's thinking or an OpenAI model's reasoning_effort, as model fields", () => {
    const claude = wire({ model: "anthropic.claude-sonnet-4-20250514-v1:0", messages: [{ role: "user", content: "hi" }], reasoning: { effort: "medium" } }) as Record<string, any>;
    expect(claude.additionalModelRequestFields).toEqual({ thinking: { type: "enabled", budget_tokens: 8192 } });
    const oss = wire({ model: "openai.gpt-oss-120b-1:0", messages: [{ role: "user", content: "hi" }], reasoning: { effort: "high" } }) as Record<string, any>;
    expect(oss.additionalModelRequestFields).toEqual({ reasoning_effort: "high" });
    expect((wire({ model: "meta.llama3", messages: [{ role: "user", content: "hi" }], reasoning: { effort: "high" } }) as Record<string, any>).additionalModelRequestFields).toBeUndefined();
  });
});
