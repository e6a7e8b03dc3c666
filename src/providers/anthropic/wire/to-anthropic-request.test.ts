import { describe, expect, it } from "vitest";
import { ProviderError, type ChatRequest } from "../../../core/index.js";
import { toAnthropicRequest, type ToAnthropicRequestOptions } from "./to-anthropic-request.js";

const wire = (request: ChatRequest, options: Partial<ToAnthropicRequestOptions> = {}) =>
  JSON.parse(JSON.stringify(toAnthropicRequest(request, { provider: "anthropic", stream: false, ...options }))) as Record<
    string,
    unknown
  >;

const thrown = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
};

const user = (content: string): ChatRequest["messages"][number] => ({ role: "user", content });

describe("toAnthropicRequest", () => {
  it("hoists system messages, maps tool calls and results, tools, tool_choice, sampling and the user", () => {
    expect(
      wire({
        model: "claude-sonnet-4-20250514",
        messages: [
          { role: "system", content: "You are terse." },
          { role: "user", content: "Weather in Paris and the time?", name: "ana" },
          {
            role: "assistant",
            content: "Checking.",
            toolCalls: [
              { id: "toolu_1", name: "get_weather", arguments: '{"location":"Paris"}' },
              { id: "toolu_2", name: "get_time", arguments: "" },
            ],
          },
          { role: "tool", toolCallId: "toolu_1", content: '{"temp_c":21}' },
          { role: "tool", toolCallId: "toolu_2", content: "12:00" },
          { role: "system", content: "Answer in French." },
          { role: "user", content: "Thanks!" },
        ],
        tools: [
          {
            name: "get_weather",
            description: "Current weather",
            parameters: { type: "object", properties: { location: { type: "string" } }, required: ["location"] },
          },
          { name: "get_time" },
        ],
        toolChoice: "required",
        temperature: 0.2,
        topP: 0.9,
        maxTokens: 256,
        stop: ["\n\nHuman:"],
        user: "user-42",
      }),
    ).toEqual({
      model: "claude-sonnet-4-20250514",
      max_tokens: 256,
      system: "You are terse.\n\nAnswer in French.",
      messages: [
        { role: "user", content: "Weather in Paris and the time?" },
        {
          role: "assistant",
          content: [
            { type: "text", text: "Checking." },
            { type: "tool_use", id: "toolu_1", name: "get_weather", input: { location: "Paris" } },
            { type: "tool_use", id: "toolu_2", name: "get_time", input: {} },
          ],
        },
        {
          role: "user",
          content: [
            { type: "tool_result", tool_use_id: "toolu_1", content: '{"temp_c":21}' },
            { type: "tool_result", tool_use_id: "toolu_2", content: "12:00" },
            { type: "text", text: "Thanks!" },
          ],
        },
      ],
      temperature: 0.2,
      top_p: 0.9,
      stop_sequences: ["\n\nHuman:"],
      tools: [
        {
          name: "get_weather",
          description: "Current weather",
          input_schema: { type: "object", properties: { location: { type: "string" } }, required: ["location"] },
        },
        { name: "get_time", input_schema: { type: "object", properties: {} } },
      ],
      tool_choice: { type: "any" },
      metadata: { user_id: "user-42" },
    });
  });

  it.each<[ChatRequest["toolChoice"], unknown]>([
    ["auto", { type: "auto" }],
    ["none", { type: "none" }],
    ["required", { type: "any" }],
    [{ name: "get_weather" }, { type: "tool", name: "get_weather" }],
  ])("maps tool choice %j", (toolChoice, expected) => {
    const body = wire({ model: "m", messages: [user("hi")], tools: [{ name: "get_weather" }], toolChoice });
    expect(body.tool_choice).toEqual(expected);
  });

  it("sends no tool_choice without tools, and a bare string for a lone text turn", () => {
    const body = wire({ model: "m", messages: [user("hi")], toolChoice: "auto", tools: [] });
    expect(body).toEqual({ model: "m", max_tokens: 4096, messages: [{ role: "user", content: "hi" }] });
  });

  it("merges consecutive same-role turns and drops turns with nothing in them", () => {
    const body = wire({
      model: "m",
      messages: [
        user("one"),
        user("two"),
        { role: "assistant", content: null },
        { role: "assistant", content: "a" },
        { role: "assistant", content: "b" },
        user(""),
        user("three"),
      ],
    });
    expect(body.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "one" }, { type: "text", text: "two" }] },
      { role: "assistant", content: [{ type: "text", text: "a" }, { type: "text", text: "b" }] },
      { role: "user", content: "three" },
    ]);
  });

  it("puts tool results before text in a user turn, and answers calls in order when toolCallId is missing", () => {
    const body = wire({
      model: "m",
      messages: [
        user("go"),
        {
          role: "assistant",
          content: null,
          toolCalls: [
            { id: "toolu_a", name: "a", arguments: "{}" },
            { id: "toolu_b", name: "b", arguments: "{}" },
          ],
        },
        { role: "tool", content: "A" },
        { role: "tool", content: null },
      ],
    });
    expect(body.messages).toEqual([
      { role: "user", content: "go" },
      {
        role: "assistant",
        content: [
          { type: "tool_use", id: "toolu_a", name: "a", input: {} },
          { type: "tool_use", id: "toolu_b", name: "b", input: {} },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "toolu_a", content: "A" },
          { type: "tool_result", tool_use_id: "toolu_b" },
        ],
      },
    ]);
  });

  it("refuses tool arguments that are not a JSON object, and a tool message that answers nothing", () => {
    const call = (args: string): ChatRequest => ({
      model: "m",
      messages: [user("go"), { role: "assistant", content: null, toolCalls: [{ id: "t", name: "f", arguments: args }] }],
    });
    for (const args of ['{"a":', "[1,2]", "42"]) {
      const error = thrown(() => wire(call(args)));
      expect(error).toBeInstanceOf(ProviderError);
      expect((error as ProviderError).kind).toBe("bad_request");
      expect((error as ProviderError).retryable).toBe(false);
    }
    expect(() => wire({ model: "m", messages: [user("go"), { role: "tool", content: "x" }] })).toThrow(/no toolCallId/);
  });

  it("takes max_tokens from the request, else providerOptions, else the deployment default, else 4096", () => {
    const base: ChatRequest = { model: "m", messages: [user("hi")] };
    const options = { anthropic: { max_tokens: 1000 } };
    expect(wire({ ...base, maxTokens: 50, providerOptions: options }).max_tokens).toBe(50);
    expect(wire({ ...base, providerOptions: options }).max_tokens).toBe(1000);
    expect(wire(base, { defaultMaxTokens: 2048 }).max_tokens).toBe(2048);
    expect(wire(base).max_tokens).toBe(4096);
  });

  it("merges its own providerOptions entry but never over model, messages or stream", () => {
    const body = wire(
      {
        model: "m",
        messages: [user("hi")],
        providerOptions: {
          anthropic: { top_k: 5, thinking: { type: "enabled", budget_tokens: 1024 }, model: "x", messages: [], stream: false },
          openai: { seed: 1 },
        },
      },
      { stream: true },
    );
    expect(body).toEqual({
      model: "m",
      max_tokens: 4096,
      messages: [{ role: "user", content: "hi" }],
      top_k: 5,
      thinking: { type: "enabled", budget_tokens: 1024 },
      stream: true,
    });
  });

  it("asks for JSON in the system prompt, since Anthropic has no JSON mode", () => {
    const objectMode = wire({ model: "m", messages: [user("hi")], responseFormat: { type: "json_object" } });
    expect(objectMode.system).toBe("Respond only with a single valid JSON object, with no other text before or after it.");
    const schemaMode = wire({
      model: "m",
      messages: [{ role: "system", content: "Be brief." }, user("hi")],
      responseFormat: { type: "json_schema", name: "answer", schema: { type: "object", properties: { a: { type: "number" } } } },
    });
    expect(schemaMode.system).toBe(
      'Be brief.\n\nRespond only with a single valid JSON object, with no other text before or after it. The object must conform to this JSON Schema (named "answer"):\n{"type":"object","properties":{"a":{"type":"number"}}}',
    );
    expect(schemaMode.response_format).toBeUndefined();
    expect(wire({ model: "m", messages: [user("hi")], responseFormat: { type: "text" } }).system).toBeUndefined();
  });

  it("passes cache breakpoints on through: system blocks, content blocks and tools", () => {
    const body = wire({
      model: "m",
      messages: [
        { role: "system", content: [{ type: "text", text: "A long handbook.", cacheControl: { type: "ephemeral", ttl: "1h" } }] },
        { role: "system", content: "Be brief." },
        { role: "user", content: [{ type: "text", text: "Doc", cacheControl: { type: "ephemeral" } }, { type: "text", text: "Question?" }] },
      ],
      tools: [{ name: "lookup", parameters: { type: "object" }, cacheControl: { type: "ephemeral" } }],
    });
    expect(body.system).toEqual([
      { type: "text", text: "A long handbook.", cache_control: { type: "ephemeral", ttl: "1h" } },
      { type: "text", text: "Be brief." },
    ]);
    expect(body.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "Doc", cache_control: { type: "ephemeral" } }, { type: "text", text: "Question?" }] },
    ]);
    expect(body.tools).toEqual([{ name: "lookup", input_schema: { type: "object" }, cache_control: { type: "ephemeral" } }]);
  });

  it("keeps the system prompt a plain string when no part marks a cache breakpoint", () => {
    const body = wire({ model: "m", messages: [{ role: "system", content: [{ type: "text", text: "a" }] }, { role: "system", content: "b" }, user("hi")] });
    expect(body.system).toBe("a\n\nb");
  });

  it("sends images as base64 or url sources, in user turns and tool results", () => {
    const body = wire({
      model: "m",
      messages: [
        { role: "user", content: [{ type: "text", text: "What is this?" }, { type: "image", url: "data:image/png;base64,iVBORw0KGgo=" }, { type: "image", url: "https://example.com/a.jpg", detail: "high" }] },
        { role: "assistant", content: null, toolCalls: [{ id: "t1", name: "shot", arguments: "{}" }] },
        { role: "tool", toolCallId: "t1", content: [{ type: "image", url: "data:image/jpeg;base64,/9j/4AAQ" }] },
      ],
    });
    expect(body.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "What is this?" },
          { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
          { type: "image", source: { type: "url", url: "https://example.com/a.jpg" } },
        ],
      },
      { role: "assistant", content: [{ type: "tool_use", id: "t1", name: "shot", input: {} }] },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: [{ type: "image", source: { type: "base64", media_type: "image/jpeg", data: "/9j/4AAQ" } }] }] },
    ]);
  });

  it("maps reasoning to a thinking budget, keeping max_tokens above it", () => {
    const body = wire({ model: "m", maxTokens: 1000, messages: [user("hi")], reasoning: { effort: "low" } });
    expect(body).toMatchObject({ thinking: { type: "enabled", budget_tokens: 2048 }, max_tokens: 3048 });
    expect(wire({ model: "m", maxTokens: 8000, messages: [user("hi")], reasoning: { budgetTokens: 100 } })).toMatchObject({ thinking: { budget_tokens: 1024 }, max_tokens: 8000 });
  });

  it("with thinking on, leaves out the temperature and top_p thinking refuses, and refuses forced tool use", () => {
    const thinking = { model: "m", messages: [user("hi")], reasoning: { effort: "low" as const } };
    const dropped = wire({ ...thinking, temperature: 0.2, topP: 0.5 });
    expect(dropped.temperature).toBeUndefined();
    expect(dropped.top_p).toBeUndefined();
    expect(wire({ ...thinking, temperature: 1, topP: 0.97 })).toMatchObject({ temperature: 1, top_p: 0.97 });
    // Thinking asked through providerOptions counts too; without thinking every value goes as sent.
    expect(wire({ model: "m", messages: [user("hi")], temperature: 0.2, providerOptions: { anthropic: { thinking: { type: "enabled", budget_tokens: 2000 } } } }).temperature).toBeUndefined();
    expect(wire({ model: "m", messages: [user("hi")], temperature: 0.2, topP: 0.5 })).toMatchObject({ temperature: 0.2, top_p: 0.5 });

    const tools = [{ name: "f", parameters: { type: "object" } }];
    const forced = thrown(() => wire({ ...thinking, tools, toolChoice: "required" }));
    expect(forced).toBeInstanceOf(ProviderError);
    expect(forced).toMatchObject({ kind: "bad_request", message: expect.stringMatching(/cannot be forced to call a tool/) });
    expect(thrown(() => wire({ ...thinking, tools, toolChoice: { name: "f" } }))).toBeInstanceOf(ProviderError);
    expect(wire({ ...thinking, tools, toolChoice: "auto" }).tool_choice).toEqual({ type: "auto" });
  });
});
