import { describe, expect, it } from "vitest";
import { ProviderError, type ChatRequest } from "../../../core/index.js";
import { encodeGeminiToolCallId } from "./gemini-tool-call-id.js";
import { toGeminiRequest } from "./to-gemini-request.js";

const translate = (request: ChatRequest) => toGeminiRequest(request, { provider: "gemini" });

const WEATHER_TOOL = {
  name: "get_weather",
  description: "Get weather",
  parameters: {
    $schema: "http://json-schema.org/draft-07/schema#",
    type: "object",
    properties: { location: { type: "string" } },
    required: ["location"],
    additionalProperties: false,
  },
};

const rejection = (fn: () => unknown): ProviderError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ProviderError) return error;
    throw error;
  }
  throw new Error("expected a ProviderError");
};

describe("toGeminiRequest", () => {
  it("refuses an image inside a tool result instead of dropping it", () => {
    const error = rejection(() => translate({ model: "gemini-2.0-flash", messages: [
      { role: "user", content: "Look at the chart" },
      { role: "assistant", content: null, toolCalls: [{ id: "call_1", name: "chart", arguments: "{}" }] },
      { role: "tool", toolCallId: "call_1", name: "chart", content: [{ type: "text", text: "the chart" }, { type: "image", url: "data:image/png;base64,iVBORw0KGgo=" }] },
    ] }));
    expect(error.kind).toBe("bad_request");
    expect(error.message).toMatch(/take no images/);
  });

  it("hoists system messages, maps roles and sampling settings (WIRE §4.2)", () => {
    const body = translate({
      model: "gemini-2.0-flash",
      messages: [
        { role: "system", content: "You are terse." },
        { role: "user", content: "Hi" },
        { role: "assistant", content: "Hello." },
        { role: "system", content: "Answer in French." },
        { role: "user", content: "Weather?" },
      ],
      temperature: 0.7,
      topP: 0.95,
      maxTokens: 256,
      stop: ["END"],
      user: "end-user-1",
    });
    expect(body).toEqual({
      systemInstruction: { parts: [{ text: "You are terse." }, { text: "Answer in French." }] },
      contents: [
        { role: "user", parts: [{ text: "Hi" }] },
        { role: "model", parts: [{ text: "Hello." }] },
        { role: "user", parts: [{ text: "Weather?" }] },
      ],
      generationConfig: { temperature: 0.7, topP: 0.95, maxOutputTokens: 256, stopSequences: ["END"] },
    });
    expect(JSON.stringify(body)).not.toContain("end-user-1");
  });

  it("asks for n candidates with candidateCount, and never for one", () => {
    const messages: ChatRequest["messages"] = [{ role: "user", content: "hi" }];
    expect(translate({ model: "gemini-2.0-flash", messages, n: 3 }).generationConfig).toEqual({ candidateCount: 3 });
    expect(translate({ model: "gemini-2.0-flash", messages, n: 1 }).generationConfig).toBeUndefined();
  });

  it("sends no generationConfig or systemInstruction when there is nothing to say", () => {
    const body = translate({ model: "m", messages: [{ role: "user", content: "Hi" }], stop: [] });
    expect(Object.keys(JSON.parse(JSON.stringify(body)) as object)).toEqual(["contents"]);
  });

  it("translates a tool round trip: calls by name, results grouped in one user turn, matched by id", () => {
    const signature = "CiQB0e2Kb+/sig==";
    const body = translate({
      model: "m",
      messages: [
        { role: "user", content: "Weather and time in Boston?" },
        {
          role: "assistant",
          content: "Checking.",
          toolCalls: [
            { id: encodeGeminiToolCallId(0, undefined, signature), name: "get_weather", arguments: '{"location":"Boston"}' },
            { id: "call_1", name: "get_time", arguments: "" },
          ],
        },
        { role: "tool", toolCallId: "call_1", content: "10:42" },
        { role: "tool", toolCallId: encodeGeminiToolCallId(0, undefined, signature), content: '{"temp_c":21}' },
        { role: "user", content: "Thanks" },
      ],
      tools: [WEATHER_TOOL, { name: "get_time", parameters: { type: "object", properties: {} } }],
      toolChoice: "auto",
    });
    expect(body.contents).toEqual([
      { role: "user", parts: [{ text: "Weather and time in Boston?" }] },
      {
        role: "model",
        parts: [
          { text: "Checking." },
          { functionCall: { name: "get_weather", args: { location: "Boston" } }, thoughtSignature: signature },
          { functionCall: { name: "get_time", args: {} } },
        ],
      },
      {
        role: "user",
        parts: [
          { functionResponse: { name: "get_time", response: { content: "10:42" } } },
          { functionResponse: { name: "get_weather", response: { temp_c: 21 } } },
        ],
      },
      { role: "user", parts: [{ text: "Thanks" }] },
    ]);
    expect(body.tools).toEqual([
      {
        functionDeclarations: [
          {
            name: "get_weather",
            description: "Get weather",
            parameters: { type: "object", properties: { location: { type: "string" } }, required: ["location"] },
          },
          { name: "get_time", description: undefined, parameters: undefined },
        ],
      },
    ]);
    expect(body.toolConfig).toEqual({ functionCallingConfig: { mode: "AUTO" } });
  });

  it("wraps results that are not JSON objects", () => {
    const body = translate({
      model: "m",
      messages: [
        { role: "assistant", content: null, toolCalls: [{ id: "a", name: "f", arguments: "{}" }] },
        { role: "tool", toolCallId: "a", content: "[1,2]" },
        { role: "tool", toolCallId: "a", content: "{not json" },
        { role: "tool", toolCallId: "a", content: null },
      ],
    });
    expect((body.contents as Array<{ parts: unknown[] }>)[1]?.parts).toEqual([
      { functionResponse: { name: "f", response: { content: "[1,2]" } } },
      { functionResponse: { name: "f", response: { content: "{not json" } } },
      { functionResponse: { name: "f", response: { content: "" } } },
    ]);
  });

  it("resolves a reused id to the latest call with it", () => {
    const body = translate({
      model: "m",
      messages: [
        { role: "assistant", content: null, toolCalls: [{ id: "call_0", name: "first", arguments: "{}" }] },
        { role: "tool", toolCallId: "call_0", content: "one" },
        { role: "assistant", content: null, toolCalls: [{ id: "call_0", name: "second", arguments: "{}" }] },
        { role: "tool", toolCallId: "call_0", content: "two" },
      ],
    });
    const names = (body.contents as Array<{ parts: Array<{ functionResponse?: { name: string } }> }>)
      .flatMap((content) => content.parts)
      .map((part) => part.functionResponse?.name)
      .filter((name) => name !== undefined);
    expect(names).toEqual(["first", "second"]);
  });

  it("uses the tool message's name for an unknown id, else refuses before sending", () => {
    const named = translate({ model: "m", messages: [{ role: "tool", toolCallId: "x", name: "lookup", content: "ok" }] });
    expect(named.contents).toEqual([{ role: "user", parts: [{ functionResponse: { name: "lookup", response: { content: "ok" } } }] }]);
    const error = rejection(() => translate({ model: "m", messages: [{ role: "tool", toolCallId: "x", content: "ok" }] }));
    expect(error.kind).toBe("bad_request");
    expect(error.retryable).toBe(false);
    expect(error.provider).toBe("gemini");
  });

  it("refuses tool call arguments that are not a JSON object", () => {
    for (const args of ["[1]", "{oops"]) {
      const error = rejection(() =>
        translate({ model: "m", messages: [{ role: "assistant", content: null, toolCalls: [{ id: "a", name: "f", arguments: args }] }] }),
      );
      expect(error.kind).toBe("bad_request");
    }
  });

  it.each<[ChatRequest["toolChoice"], unknown]>([
    ["auto", { mode: "AUTO" }],
    ["none", { mode: "NONE" }],
    ["required", { mode: "ANY" }],
    [{ name: "get_weather" }, { mode: "ANY", allowedFunctionNames: ["get_weather"] }],
  ])("maps tool choice %j (WIRE §8.2)", (toolChoice, config) => {
    const body = translate({ model: "m", messages: [{ role: "user", content: "x" }], tools: [WEATHER_TOOL], toolChoice });
    expect(body.toolConfig).toEqual({ functionCallingConfig: config });
  });

  it("asks for JSON, with the schema as responseJsonSchema", () => {
    const schema = { type: "object", properties: { a: { type: "string" } }, required: ["a"], additionalProperties: false };
    const asJson = translate({ model: "m", messages: [{ role: "user", content: "x" }], responseFormat: { type: "json_object" } });
    expect(asJson.generationConfig).toEqual({ responseMimeType: "application/json" });
    const withSchema = translate({
      model: "m",
      messages: [{ role: "user", content: "x" }],
      responseFormat: { type: "json_schema", name: "answer", schema, strict: true },
    });
    expect(withSchema.generationConfig).toEqual({ responseMimeType: "application/json", responseJsonSchema: schema });
    const asText = translate({ model: "m", messages: [{ role: "user", content: "x" }], responseFormat: { type: "text" } });
    expect(asText.generationConfig).toBeUndefined();
  });

  it("merges providerOptions, extending generationConfig and never replacing contents", () => {
    const body = translate({
      model: "m",
      messages: [{ role: "user", content: "x" }],
      temperature: 0.2,
      providerOptions: {
        gemini: {
          safetySettings: [{ category: "HARM_CATEGORY_HARASSMENT", threshold: "BLOCK_ONLY_HIGH" }],
          generationConfig: { topK: 40, thinkingConfig: { thinkingBudget: 0 } },
          contents: [],
        },
        openai: { seed: 1 },
      },
    });
    expect(body.safetySettings).toEqual([{ category: "HARM_CATEGORY_HARASSMENT", threshold: "BLOCK_ONLY_HIGH" }]);
    expect(body.generationConfig).toEqual({ temperature: 0.2, topK: 40, thinkingConfig: { thinkingBudget: 0 } });
    expect(body.contents).toEqual([{ role: "user", parts: [{ text: "x" }] }]);
    expect(body.seed).toBeUndefined();
  });

  it("sends a data URL image as inlineData and a web URL as fileData with a type from its name", () => {
    const body = translate({ model: "gemini-2.0-flash", messages: [
      { role: "user", content: [{ type: "text", text: "What is this?" }, { type: "image", url: "data:image/png;base64,iVBORw0KGgo=" }, { type: "image", url: "https://example.com/a.webp?x=1", detail: "high" }] },
    ] });
    expect(body.contents).toEqual([
      { role: "user", parts: [{ text: "What is this?" }, { inlineData: { mimeType: "image/png", data: "iVBORw0KGgo=" } }, { fileData: { mimeType: "image/webp", fileUri: "https://example.com/a.webp?x=1" } }] },
    ]);
  });

  it("maps reasoning to thinkingConfig, asking for thought summaries", () => {
    const body = translate({ model: "gemini-2.5-flash", messages: [{ role: "user", content: "hi" }], reasoning: { effort: "low" } }) as Record<string, any>;
    expect(body.generationConfig.thinkingConfig).toEqual({ thinkingBudget: 2048, includeThoughts: true });
    const budget = translate({ model: "gemini-2.5-flash", messages: [{ role: "user", content: "hi" }], reasoning: { budgetTokens: 512 } }) as Record<string, any>;
    expect(budget.generationConfig.thinkingConfig.thinkingBudget).toBe(512);
  });
});
