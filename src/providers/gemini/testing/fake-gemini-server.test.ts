import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProviderError, type ChatRequest } from "../../../core/index.js";
import type { ProviderAdapter } from "../../spec.js";
import { createGeminiAdapter } from "../create-gemini-adapter.js";
import { startFakeGeminiServer, type FakeGeminiServer } from "./fake-gemini-server.js";
import { collectEvents as collect } from "../../http/testing/adapter-test-helpers.js";

let server: FakeGeminiServer;
let adapter: ProviderAdapter;

beforeAll(async () => {
  server = await startFakeGeminiServer({ apiKey: "key-1", text: "Hi there, héllo 🚀", toolArguments: { city: "Zürich" } });
  adapter = createGeminiAdapter({ provider: "gemini", baseUrl: server.baseUrl, apiKey: "key-1", extra: {} });
});
afterAll(async () => {
  await adapter.close?.();
  await server.close();
});


const TOOLS: ChatRequest["tools"] = [{ name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } }];

describe("startFakeGeminiServer driven by the Gemini adapter", () => {
  it("answers text, whole and streamed, with usage", async () => {
    const request: ChatRequest = { model: "gemini-2.0-flash", messages: [{ role: "user", content: "Hello" }] };
    const { response } = await adapter.chat(request);
    expect(response.message.content).toBe("Hi there, héllo 🚀");
    expect(response.finish).toEqual({ unified: "stop", raw: "STOP" });
    expect(response.model).toBe("gemini-2.0-flash");
    expect(response.usage.outputTokens).toBe(4);
    expect(response.usage.inputTokens).toBeGreaterThan(0);

    const events = await collect((await adapter.stream(request)).events);
    expect(events.filter((event) => event.type === "text-delta")).toHaveLength(4);
    expect(events.at(-1)).toMatchObject({ type: "finish", finish: { unified: "stop" }, usage: { outputTokens: 4 } });
  });

  it("calls a tool, then answers the tool result", async () => {
    const first: ChatRequest = { model: "gemini-2.0-flash", messages: [{ role: "user", content: "Weather?" }], tools: TOOLS };
    const { response } = await adapter.chat(first);
    expect(response.finish.unified).toBe("tool_calls");
    expect(response.message.toolCalls).toEqual([{ id: "call_0", name: "get_weather", arguments: '{"city":"Zürich"}' }]);

    const streamed = await collect((await adapter.stream(first)).events);
    expect(streamed[0]).toEqual({ type: "tool-call-delta", index: 0, id: "call_0", name: "get_weather", argumentsDelta: '{"city":"Zürich"}' });

    const second: ChatRequest = {
      ...first,
      messages: [
        ...first.messages,
        { role: "assistant", content: null, toolCalls: response.message.toolCalls },
        { role: "tool", toolCallId: "call_0", content: '{"temp_c":21}' },
      ],
    };
    const { response: answer } = await adapter.chat(second);
    expect(answer.message.content).toBe('Tool results: get_weather={"temp_c":21}');
    expect(answer.finish.unified).toBe("stop");
    const after = await collect((await adapter.stream(second)).events);
    expect(after.map((event) => (event.type === "text-delta" ? event.text : "")).join("")).toBe('Tool results: get_weather={"temp_c":21}');
  });

  it("answers in Gemini's error shapes for a wrong key, no key and an unknown path", async () => {
    const request: ChatRequest = { model: "gemini-2.0-flash", messages: [{ role: "user", content: "Hello" }] };
    for (const [apiKey, kind, status] of [
      ["wrong", "auth", 400],
      [undefined, "auth", 403],
    ] as const) {
      const other = createGeminiAdapter({ provider: "gemini", baseUrl: server.baseUrl, ...(apiKey ? { apiKey } : {}), extra: {} });
      const error = await other.chat(request).catch((caught: unknown) => caught);
      await other.close?.();
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ kind, status });
    }
    const response = await fetch(`${server.baseUrl}/v1beta/models/x:countTokens`, { method: "POST", body: "{}" });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { status: string } }).error.status).toBe("NOT_FOUND");
  });

  it("records what it received", () => {
    expect(server.requests.length).toBeGreaterThan(0);
    expect(server.requests[0]?.headers["x-goog-api-key"]).toBe("key-1");
  });
});
