import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProviderError, type ChatRequest } from "../../../core/index.js";
import type { ProviderAdapter } from "../../spec.js";
import { createAnthropicAdapter } from "../create-anthropic-adapter.js";
import { startFakeAnthropicServer, type FakeAnthropicServer } from "./fake-anthropic-server.js";
import { collectEvents as collect } from "../../http/testing/adapter-test-helpers.js";

let server: FakeAnthropicServer;
let adapter: ProviderAdapter;

beforeAll(async () => {
  server = await startFakeAnthropicServer({ apiKey: "sk-ant-fake", toolInput: { location: "Zürich" }, chunkSize: 5 });
  adapter = createAnthropicAdapter({ provider: "anthropic", baseUrl: server.baseUrl, apiKey: "sk-ant-fake", extra: {} });
});
afterAll(async () => {
  await adapter.close?.();
  await server.close();
});


const ASK: ChatRequest = {
  model: "claude-fake-1",
  messages: [{ role: "user", content: "Weather in Zürich?" }],
  tools: [{ name: "get_weather", parameters: { type: "object", properties: { location: { type: "string" } } } }],
};

describe("startFakeAnthropicServer driven by the Anthropic adapter", () => {
  it("answers a plain prompt with text and usage, streamed or not", async () => {
    const plain: ChatRequest = { model: "claude-fake-1", messages: [{ role: "user", content: "Hi" }] };
    const { response } = await adapter.chat(plain);
    expect(response.message).toEqual({ role: "assistant", content: "Hello from the fake Anthropic server: héllo 日本 🚀", toolCalls: [] });
    expect(response.finish).toEqual({ unified: "stop", raw: "end_turn" });
    expect(response.usage).toMatchObject({ inputTokens: 25, outputTokens: 12 });

    const events = await collect((await adapter.stream(plain)).events);
    expect(events.map((event) => (event.type === "text-delta" ? event.text : "")).join("")).toBe(response.message.content);
    expect(events.at(-1)).toMatchObject({ type: "finish", model: "claude-fake-1", usage: { inputTokens: 25, outputTokens: 12 } });
  });

  it("runs a tool-call round trip, streamed and not", async () => {
    const { response } = await adapter.chat(ASK);
    expect(response.finish.unified).toBe("tool_calls");
    const [call] = response.message.toolCalls;
    expect(call).toMatchObject({ name: "get_weather", arguments: '{"location":"Zürich"}' });

    const streamed = await collect((await adapter.stream(ASK)).events);
    const deltas = streamed.filter((event) => event.type === "tool-call-delta");
    expect(deltas[0]).toMatchObject({ index: 0, name: "get_weather", argumentsDelta: "" });
    expect(deltas.map((event) => event.argumentsDelta).join("")).toBe('{"location":"Zürich"}');

    const followUp: ChatRequest = {
      ...ASK,
      messages: [
        ...ASK.messages,
        { role: "assistant", content: null, toolCalls: call !== undefined ? [call] : [] },
        { role: "tool", toolCallId: call?.id ?? "", content: "21°C" },
      ],
    };
    const answer = await adapter.chat(followUp);
    expect(answer.response.message.content).toBe("The tool returned: 21°C");
    expect(answer.response.finish.unified).toBe("stop");
    const sent = JSON.parse(server.requests.at(-1)?.body ?? "") as { messages: unknown[] };
    expect(sent.messages.at(-1)).toEqual({ role: "user", content: [{ type: "tool_result", tool_use_id: call?.id, content: "21°C" }] });
  });

  it("answers a wrong key with Anthropic's 401 and an unknown path with 404", async () => {
    const stranger = createAnthropicAdapter({ provider: "anthropic", baseUrl: server.baseUrl, apiKey: "wrong", extra: {} });
    const misrouted = createAnthropicAdapter({ provider: "anthropic", baseUrl: `${server.baseUrl}/proxy`, apiKey: "sk-ant-fake", extra: {} });
    try {
      await expect(stranger.chat(ASK)).rejects.toMatchObject({ kind: "auth", status: 401, code: "authentication_error" });
      await expect(misrouted.stream(ASK)).rejects.toBeInstanceOf(ProviderError);
      await expect(misrouted.stream(ASK)).rejects.toMatchObject({ kind: "not_found", status: 404 });
    } finally {
      await stranger.close?.();
      await misrouted.close?.();
    }
  });
});
