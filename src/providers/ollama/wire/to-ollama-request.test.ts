import { describe, expect, it } from "vitest";
import { ProviderError, type ChatRequest } from "../../../core/index.js";
import { toOllamaRequest } from "./to-ollama-request.js";

const wire = (request: ChatRequest, stream = false) => JSON.parse(JSON.stringify(toOllamaRequest(request, { provider: "ollama", stream })));

describe("toOllamaRequest", () => {
  it("sends the images of a tool result in the tool message's images", () => {
    const body = wire({ model: "llama3.2", messages: [
      { role: "user", content: "Look at the chart" },
      { role: "assistant", content: null, toolCalls: [{ id: "call_1", name: "chart", arguments: "{}" }] },
      { role: "tool", toolCallId: "call_1", name: "chart", content: [{ type: "text", text: "the chart" }, { type: "image", url: "data:image/png;base64,iVBORw0KGgo=" }] },
    ] });
    expect(body.messages[2]).toEqual({ role: "tool", content: "the chart", tool_name: "chart", images: ["iVBORw0KGgo="] });
  });

  it("translates a tool-call round trip: arguments as objects, results by tool name", () => {
    const body = wire({
      model: "llama3.2",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Weather and time in Tokyo?" },
        {
          role: "assistant",
          content: null,
          toolCalls: [
            { id: "call_0", name: "get_weather", arguments: '{"city":"Tokyo"}' },
            { id: "call_1", name: "get_time", arguments: "" },
          ],
        },
        { role: "tool", toolCallId: "call_1", content: "09:00" },
        { role: "tool", toolCallId: "call_0", content: "sunny" },
        { role: "tool", toolCallId: "unknown", name: "fallback_name", content: "x" },
      ],
    });
    expect(body.messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "Weather and time in Tokyo?" },
      {
        role: "assistant",
        content: "",
        tool_calls: [
          { function: { name: "get_weather", arguments: { city: "Tokyo" } } },
          { function: { name: "get_time", arguments: {} } },
        ],
      },
      { role: "tool", content: "09:00", tool_name: "get_time" },
      { role: "tool", content: "sunny", tool_name: "get_weather" },
      { role: "tool", content: "x", tool_name: "fallback_name" },
    ]);
    expect(body.stream).toBe(false);
  });

  it("puts sampling settings in options and maps response formats", () => {
    const base: ChatRequest = { model: "m", messages: [{ role: "user", content: "hi" }], temperature: 0.2, topP: 0.9, maxTokens: 64, stop: ["\n\n"] };
    expect(wire(base, true)).toEqual({
      model: "m",
      messages: [{ role: "user", content: "hi" }],
      options: { temperature: 0.2, top_p: 0.9, num_predict: 64, stop: ["\n\n"] },
      stream: true,
    });
    expect(wire({ ...base, responseFormat: { type: "json_object" } }).format).toBe("json");
    const schema = { type: "object", properties: { a: { type: "number" } }, required: ["a"] };
    expect(wire({ ...base, responseFormat: { type: "json_schema", name: "s", schema } }).format).toEqual(schema);
    expect(wire({ ...base, responseFormat: { type: "text" } }).format).toBeUndefined();
    expect(wire({ model: "m", messages: [{ role: "user", content: "hi" }] }).options).toBeUndefined();
  });

  it("sends tools OpenAI-style, and leaves them out for toolChoice none", () => {
    const tools = [{ name: "get_weather", description: "Weather", parameters: { type: "object" } }];
    const request: ChatRequest = { model: "m", messages: [{ role: "user", content: "hi" }], tools };
    expect(wire(request).tools).toEqual([{ type: "function", function: { name: "get_weather", description: "Weather", parameters: { type: "object" } } }]);
    expect(wire({ ...request, toolChoice: "none" }).tools).toBeUndefined();
  });

  it("merges providerOptions, with its options into the sampling options, never over model/messages/stream", () => {
    const body = wire({
      model: "m",
      messages: [{ role: "user", content: "hi" }],
      temperature: 1,
      providerOptions: { ollama: { keep_alive: "10m", think: false, options: { num_ctx: 8192, temperature: 0.5 }, stream: true, model: "x" } },
    });
    expect(body).toEqual({
      model: "m",
      messages: [{ role: "user", content: "hi" }],
      options: { temperature: 0.5, num_ctx: 8192 },
      keep_alive: "10m",
      think: false,
      stream: false,
    });
  });

  it("refuses tool-call arguments that are not a JSON object", () => {
    const request = (args: string): ChatRequest => ({
      model: "m",
      messages: [{ role: "assistant", content: null, toolCalls: [{ id: "c", name: "f", arguments: args }] }],
    });
    for (const args of ["{not json", "[1,2]"]) {
      let caught: unknown;
      try {
        toOllamaRequest(request(args), { provider: "ollama", stream: false });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ProviderError);
      expect((caught as ProviderError).kind).toBe("bad_request");
    }
  });

  it("puts base64 images in the message's images list and refuses image URLs", () => {
    const body = wire({ model: "llava", messages: [{ role: "user", content: [{ type: "text", text: "What is this?" }, { type: "image", url: "data:image/png;base64,iVBORw0KGgo=" }] }] });
    expect(body.messages).toEqual([{ role: "user", content: "What is this?", images: ["iVBORw0KGgo="] }]);
    expect(() => wire({ model: "llava", messages: [{ role: "user", content: [{ type: "image", url: "https://example.com/a.png" }] }] })).toThrow(/base64 data, not URLs/);
  });

  it("turns thinking on for reasoning, with the effort level for gpt-oss models", () => {
    expect(wire({ model: "qwen3", messages: [{ role: "user", content: "hi" }], reasoning: { effort: "low" } }).think).toBe(true);
    expect(wire({ model: "gpt-oss:20b", messages: [{ role: "user", content: "hi" }], reasoning: { effort: "low" } }).think).toBe("low");
  });
});
