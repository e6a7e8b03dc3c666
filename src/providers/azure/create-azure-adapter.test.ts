import { readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ChatRequest } from "../../core/index.js";
import { startFakeUpstream, writeInChunks, type FakeUpstream } from "../http/testing/start-fake-upstream.js";
import {
  assembleToolCalls,
  collectEvents,
  eventsUntilFailure,
  providerFailure,
  textOf,
} from "../http/testing/adapter-test-helpers.js";
import type { ProviderAdapter } from "../spec.js";
import { AZURE_DEFAULT_API_VERSION } from "./azure-chat-target.js";
import { createAzureAdapter } from "./create-azure-adapter.js";
import { startFakeAzureServer } from "./testing/fake-azure-server.js";
import { expectBreakClosesSocket } from "../http/testing/stream-transport-checks.js";

const fixture = (name: string): Buffer => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

const sendJson = (response: ServerResponse, status: number, body: Buffer, headers: Record<string, string> = {}) => {
  response.writeHead(status, { "content-type": "application/json", "apim-request-id": "a1b2", ...headers }).end(body);
};
const openStream = (response: ServerResponse) => response.writeHead(200, { "content-type": "text/event-stream; charset=utf-8" });

const REQUEST: ChatRequest = {
  model: "gpt-4o",
  messages: [
    { role: "system", content: "You are terse." },
    { role: "user", content: "Weather in Zürich?" },
    { role: "assistant", content: null, toolCalls: [{ id: "call_1", name: "get_weather", arguments: '{"location":"Zürich"}' }] },
    { role: "tool", toolCallId: "call_1", content: '{"temp_c":21}' },
  ],
  tools: [{ name: "get_weather", parameters: { type: "object", properties: { location: { type: "string" } } } }],
  maxTokens: 50,
};

let upstream: FakeUpstream;
let adapter: ProviderAdapter;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  adapter = createAzureAdapter({
    provider: "azure",
    baseUrl: `${upstream.url}/`,
    apiKey: "azure-key-1",
    extra: { deployment: "prod-gpt4o" },
  });
});
afterAll(async () => {
  await adapter.close?.();
  await upstream.close();
});
afterEach(() => {
  upstream.requests.length = 0;
});

describe("createAzureAdapter — requests", () => {
  it("posts to the deployment URL with api-version and the api-key header, and reads the answer", async () => {
    upstream.handle((_request, response) =>
      sendJson(response, 200, fixture("chat-completion.json"), {
        "x-ratelimit-remaining-requests": "99",
        "x-ratelimit-remaining-tokens": "79000",
      }),
    );
    const result = await adapter.chat(REQUEST);
    const sent = upstream.requests[0];
    expect(sent?.method).toBe("POST");
    expect(sent?.path).toBe(`/openai/deployments/prod-gpt4o/chat/completions?api-version=${AZURE_DEFAULT_API_VERSION}`);
    expect(AZURE_DEFAULT_API_VERSION).toBe("2024-10-21");
    expect(sent?.headers["api-key"]).toBe("azure-key-1");
    expect(sent?.headers.authorization).toBeUndefined();
    const body = JSON.parse(sent?.body ?? "") as Record<string, unknown>;
    expect(body.messages).toEqual([
      { role: "system", content: "You are terse." },
      { role: "user", content: "Weather in Zürich?" },
      { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"location":"Zürich"}' } }] },
      { role: "tool", tool_call_id: "call_1", content: '{"temp_c":21}' },
    ]);
    expect(body.max_tokens).toBe(50);
    expect(result).toEqual({
      response: {
        id: "chatcmpl-9k5WTzuP3ePHWL4G8jSMcnNxDpLhl",
        model: "gpt-4",
        message: { role: "assistant", content: "Hi there!", toolCalls: [], refusal: null },
        finish: { unified: "stop", raw: "stop" },
        usage: { inputTokens: 19, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 10, reasoningTokens: 0 },
      },
      rateLimit: { remainingRequests: 99, remainingTokens: 79_000 },
    });
  });

  it("takes the deployment from the request model when none is configured, and honours apiVersion and a `/openai` base URL", async () => {
    const byModel = createAzureAdapter({
      provider: "azure",
      baseUrl: `${upstream.url}/openai/`,
      apiKey: "k",
      extra: { apiVersion: "2025-01-01-preview" },
    });
    upstream.handle((_request, response) => sendJson(response, 200, fixture("chat-completion.json")));
    await byModel.chat({ ...REQUEST, model: "my deployment/1" });
    await byModel.close?.();
    expect(upstream.requests[0]?.path).toBe("/openai/deployments/my%20deployment%2F1/chat/completions?api-version=2025-01-01-preview");
  });

  it("refuses to start without a base URL", () => {
    expect(() => createAzureAdapter({ provider: "azure", baseUrl: "", apiKey: "k", extra: {} })).toThrow(/resource root/);
  });
});

describe("createAzureAdapter — content filter", () => {
  it("a completion cut by the filter finishes as content_filter (chat)", async () => {
    upstream.handle((_request, response) => sendJson(response, 200, fixture("chat-completion-content-filter.json")));
    const { response } = await adapter.chat(REQUEST);
    expect(response.finish).toEqual({ unified: "content_filter", raw: "content_filter" });
    expect(response.message.content).toBe("Here is how the story goes");
  });

  it("a streamed completion cut by the filter finishes as content_filter", async () => {
    upstream.handle((_request, response) => {
      openStream(response);
      writeInChunks(response, fixture("stream-content-filter.sse"), 11);
      response.end();
    });
    const events = await collectEvents((await adapter.stream(REQUEST)).events);
    expect(textOf(events)).toBe("Here is how");
    expect(events.at(-1)).toMatchObject({ type: "finish", finish: { unified: "content_filter", raw: "content_filter" }, usage: null });
  });

  it("a prompt blocked with 400 content_filter is content_policy, with the inner error kept in the message", async () => {
    upstream.handle((_request, response) => sendJson(response, 400, fixture("error-400-content-filter.json")));
    for (const call of [adapter.chat(REQUEST), adapter.stream(REQUEST)]) {
      const error = await providerFailure(call);
      expect(error.kind).toBe("content_policy");
      expect(error.retryable).toBe(false);
      expect(error.status).toBe(400);
      expect(error.code).toBe("content_filter");
      expect(error.message).toContain("content management policy");
      expect(error.message).toContain("(ResponsibleAIPolicyViolation: hate=high, violence=medium)");
    }
  });
});

describe("createAzureAdapter — errors", () => {
  it.each<[number, string, string, string, boolean]>([
    [401, "error-401.json", "auth", "401", false],
    [404, "error-404-deployment-not-found.json", "not_found", "DeploymentNotFound", false],
    [429, "error-429.json", "rate_limit", "429", true],
    [500, "error-500.json", "server", "InternalServerError", true],
    [503, "error-503.json", "overloaded", "ServiceUnavailable", true],
  ])("HTTP %d (%s) is %s", async (status, name, kind, code, retryable) => {
    upstream.handle((_request, response) => sendJson(response, status, fixture(name), status === 429 ? { "retry-after": "6" } : {}));
    for (const call of [adapter.chat(REQUEST), adapter.stream(REQUEST)]) {
      const error = await providerFailure(call);
      expect(error.kind).toBe(kind);
      expect(error.code).toBe(code);
      expect(error.status).toBe(status);
      expect(error.retryable).toBe(retryable);
      expect(error.provider).toBe("azure");
      if (status === 429) expect(error.retryAfterMs).toBe(6000);
    }
  });

  it("prefers retry-after-ms on a 429", async () => {
    upstream.handle((_request, response) => sendJson(response, 429, fixture("error-429.json"), { "retry-after": "6", "retry-after-ms": "5750" }));
    expect((await providerFailure(adapter.chat(REQUEST))).retryAfterMs).toBe(5750);
  });
});

describe("createAzureAdapter — stream()", () => {
  it("passes over the filter-only first chunk and the trailing filter chunk, split at any byte", async () => {
    for (const size of [1, 7, 64]) {
      upstream.handle((_request, response) => {
        openStream(response);
        writeInChunks(response, fixture("stream-text.sse"), size);
        response.end();
      });
      const events = await collectEvents((await adapter.stream(REQUEST)).events);
      expect(textOf(events)).toBe("Hello, héllo 日本 🚀!");
      expect(events.filter((event) => event.type === "finish")).toHaveLength(1);
      expect(events.at(-1)).toEqual({
        type: "finish",
        finish: { unified: "stop", raw: "stop" },
        usage: { inputTokens: 1210, cachedInputTokens: 1024, cacheWriteTokens: 0, outputTokens: 9, reasoningTokens: 0 },
        model: "gpt-4o-2024-11-20",
        id: "chatcmpl-BD5yKcBuWzlPvHXvWcAKVDrH2BfZi",
      });
    }
    const body = JSON.parse(upstream.requests[0]?.body ?? "") as Record<string, unknown>;
    expect(body.stream).toBe(true);
    expect(body.stream_options).toEqual({ include_usage: true });
  });

  it("streams a tool call", async () => {
    upstream.handle((_request, response) => {
      openStream(response);
      writeInChunks(response, fixture("stream-tool-calls.sse"), 5);
      response.end();
    });
    const events = await collectEvents((await adapter.stream(REQUEST)).events);
    expect(assembleToolCalls(events)).toEqual([
      { index: 0, id: "call_x7RqJpT2bB4lWm9nYcZk1aVd", name: "get_weather", arguments: '{"location":"Zürich"}' },
    ]);
    expect(events.at(-1)).toMatchObject({ type: "finish", finish: { unified: "tool_calls" } });
  });

  it("throws a mid-stream error event, classified", async () => {
    upstream.handle((_request, response) => {
      openStream(response);
      const bytes = fixture("stream-text.sse");
      response.write(bytes.subarray(0, bytes.indexOf("data: {\"choices\":[{\"content_filter_results\":{\"hate\"")));
      response.end('data: {"error":{"code":"429","message":"Rate limit is exceeded. Try again in 6 seconds."}}\n\n');
    });
    const { received, error } = await eventsUntilFailure(adapter, REQUEST);
    expect(received).toEqual([]);
    expect(error.kind).toBe("rate_limit");
  });

  it("an unparsable chunk is invalid_response; a stream cut before [DONE] is a connection error", async () => {
    upstream.handle((_request, response) => {
      openStream(response);
      response.end('data: {"choices":[{"delta":{"content":"Hi"\n\n');
    });
    expect((await providerFailure(collectEvents((await adapter.stream(REQUEST)).events))).kind).toBe("invalid_response");

    upstream.handle((_request, response) => {
      openStream(response);
      const bytes = fixture("stream-text.sse");
      response.end(bytes.subarray(0, bytes.indexOf('"finish_reason":"stop"') - 200));
    });
    const truncated = await providerFailure(collectEvents((await adapter.stream(REQUEST)).events));
    expect(truncated.kind).toBe("connection");
    expect(truncated.message).toBe("stream ended before completion");
  });

  it("breaking out of the loop closes the upstream socket", async () => {
    upstream.handle((_request, response) => {
      openStream(response);
      response.write('data: {"choices":[{"delta":{"content":"Hel"},"index":0}],"id":"c","model":"m"}\n\n');
    });
    await expectBreakClosesSocket(adapter, REQUEST, upstream, { type: "text-delta", text: "Hel" });
  });
});

describe("startFakeAzureServer", () => {
  it("serves text, a stream, a tool call and an answer to its result", async () => {
    const fake = await startFakeAzureServer();
    const azure = createAzureAdapter({ provider: "azure", baseUrl: fake.baseUrl, apiKey: "k", extra: {} });
    try {
      const plain = await azure.chat({ model: "dep", messages: [{ role: "user", content: "hi" }] });
      expect(plain.response.message.content).toBe("Hello! How can I help?");
      expect(plain.response.usage).toMatchObject({ inputTokens: 12, outputTokens: 7 });

      const streamed = await collectEvents((await azure.stream({ model: "dep", messages: [{ role: "user", content: "hi" }] })).events);
      expect(textOf(streamed)).toBe("Hello! How can I help?");
      expect(streamed.at(-1)).toMatchObject({ type: "finish", usage: { inputTokens: 12, outputTokens: 7 } });

      const tools = [{ name: "get_weather", parameters: { type: "object" } }];
      const call = await azure.chat({ model: "dep", messages: [{ role: "user", content: "weather?" }], tools });
      expect(call.response.message.toolCalls).toEqual([{ id: "call_fake_1", name: "get_weather", arguments: '{"location":"Paris"}' }]);
      const after = await azure.chat({
        model: "dep",
        tools,
        messages: [
          { role: "user", content: "weather?" },
          { role: "assistant", content: null, toolCalls: call.response.message.toolCalls },
          { role: "tool", toolCallId: "call_fake_1", content: "sunny" },
        ],
      });
      expect(after.response.message.content).toBe("The tool said: sunny");
      expect(fake.requests[0]?.path).toBe("/openai/deployments/dep/chat/completions?api-version=2024-10-21");
    } finally {
      await azure.close?.();
      await fake.close();
    }
  });
});
