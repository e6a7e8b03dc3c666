import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatRequest } from "../../../core/index.js";
import type { ProviderAdapter } from "../../spec.js";
import { createBedrockAdapter } from "../create-bedrock-adapter.js";
import { startFakeBedrockServer, type FakeBedrockServer } from "./fake-bedrock-server.js";
import { collectEvents as collect } from "../../http/testing/adapter-test-helpers.js";

const TOOLS: ChatRequest["tools"] = [{ name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } }];
const QUESTION: ChatRequest = { model: "anthropic.claude-3-haiku-20240307-v1:0", messages: [{ role: "user", content: "Weather in Paris?" }] };
const AFTER_TOOL: ChatRequest = {
  ...QUESTION,
  tools: TOOLS,
  messages: [
    ...QUESTION.messages,
    { role: "assistant", content: null, toolCalls: [{ id: "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", name: "get_weather", arguments: '{"city":"Paris"}' }] },
    { role: "tool", toolCallId: "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", content: '{"temp_c":21}' },
  ],
};

let server: FakeBedrockServer;
let adapter: ProviderAdapter;

beforeAll(async () => {
  server = await startFakeBedrockServer({ chunkSize: 5, usage: { inputTokens: 10, outputTokens: 5, cacheReadInputTokens: 30 } });
  adapter = createBedrockAdapter({ provider: "bedrock", baseUrl: server.baseUrl, extra: { region: "us-east-1", accessKeyId: "AKID", secretAccessKey: "s" } });
});
afterAll(async () => {
  await adapter.close?.();
  await server.close();
});


const USAGE = { inputTokens: 40, cachedInputTokens: 30, cacheWriteTokens: 0, outputTokens: 5, reasoningTokens: 0 };

describe("startFakeBedrockServer", () => {
  it("answers a question with text, as JSON and as an event stream", async () => {
    const { response } = await adapter.chat(QUESTION);
    expect(response.message.content).toBe("Hello from Bedrock — héllo 日本 🚀!");
    expect(response.usage).toEqual(USAGE);
    const events = await collect((await adapter.stream(QUESTION)).events);
    expect(events.map((event) => (event.type === "text-delta" ? event.text : "")).join("")).toBe("Hello from Bedrock — héllo 日本 🚀!");
    expect(events.at(-1)).toMatchObject({ type: "finish", finish: { unified: "stop", raw: "end_turn" }, usage: USAGE });
    expect(server.requests.map((request) => request.path)).toEqual([
      "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse",
      "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse-stream",
    ]);
  });

  it("calls the first tool when tools are offered, then answers the tool result with text", async () => {
    const { response } = await adapter.chat({ ...QUESTION, tools: TOOLS });
    expect(response.message.toolCalls).toEqual([{ id: "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", name: "get_weather", arguments: '{"city":"Paris"}' }]);
    expect(response.finish.unified).toBe("tool_calls");
    const events = await collect((await adapter.stream({ ...QUESTION, tools: TOOLS })).events);
    const args = events.map((event) => (event.type === "tool-call-delta" ? event.argumentsDelta : "")).join("");
    expect(JSON.parse(args)).toEqual({ city: "Paris" });
    expect(events[0]).toEqual({ type: "tool-call-delta", index: 0, id: "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", name: "get_weather", argumentsDelta: "" });

    const after = await adapter.chat(AFTER_TOOL);
    expect(after.response.message).toEqual({ role: "assistant", content: "It is 21 °C in Paris.", toolCalls: [] });
    const streamed = await collect((await adapter.stream(AFTER_TOOL)).events);
    expect(streamed.at(-1)).toMatchObject({ finish: { unified: "stop" } });
  });

  it("answers unsigned and malformed requests with Bedrock's error shapes", async () => {
    const unsigned = await fetch(`${server.baseUrl}/model/m/converse`, { method: "POST", body: "{}" });
    expect(unsigned.status).toBe(403);
    expect(unsigned.headers.get("x-amzn-errortype")).toMatch(/^MissingAuthenticationTokenException:/);
    expect(await unsigned.json()).toEqual({ message: "Missing Authentication Token" });
    const malformed = await fetch(`${server.baseUrl}/model/m/converse`, { method: "POST", headers: { authorization: "x" }, body: "{}" });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get("x-amzn-errortype")).toMatch(/^ValidationException:/);
    await malformed.text();
  });
});
