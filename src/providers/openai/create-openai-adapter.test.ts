import { readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ChatRequest } from "../../core/index.js";
import { startFakeUpstream, writeInChunks, type FakeUpstream } from "../http/testing/start-fake-upstream.js";
import type { ProviderAdapter } from "../spec.js";
import { createOpenAIAdapter } from "./create-openai-adapter.js";
import { collectEvents as collect, eventsUntilFailure, providerFailure as failure, textOf as text } from "../http/testing/adapter-test-helpers.js";
import { expectAbortMidStream, expectBreakClosesSocket, expectRefusedConnection, expectSilentUpstreamTimesOut, expectSocketBackInPool } from "../http/testing/stream-transport-checks.js";

const fixture = (name: string): Buffer => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

const RATE_LIMIT_HEADERS = {
  "x-ratelimit-limit-requests": "60",
  "x-ratelimit-limit-tokens": "150000",
  "x-ratelimit-remaining-requests": "59",
  "x-ratelimit-remaining-tokens": "149984",
  "x-ratelimit-reset-requests": "1s",
  "x-ratelimit-reset-tokens": "6m0s",
};
const HEADROOM = {
  limitRequests: 60,
  limitTokens: 150_000,
  remainingRequests: 59,
  remainingTokens: 149_984,
  resetRequestsMs: 1000,
  resetTokensMs: 360_000,
};

const sendJson = (response: ServerResponse, status: number, body: Buffer, headers: Record<string, string> = {}) => {
  response.writeHead(status, { "content-type": "application/json", "x-request-id": "req_123", ...headers }).end(body);
};

const openStream = (response: ServerResponse, headers: Record<string, string> = {}) => {
  response.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", ...headers });
};

const REQUEST: ChatRequest = {
  model: "gpt-4o",
  messages: [
    { role: "system", content: "You are terse." },
    { role: "user", content: "Weather in Boston?" },
    { role: "assistant", content: null, toolCalls: [{ id: "call_abc123", name: "get_weather", arguments: '{"location":"Boston, MA"}' }] },
    { role: "tool", toolCallId: "call_abc123", content: '{"temp_c":21}' },
  ],
  tools: [{ name: "get_weather", parameters: { type: "object", properties: { location: { type: "string" } } } }],
  toolChoice: "auto",
  maxTokens: 100,
};

let upstream: FakeUpstream;
let adapter: ProviderAdapter;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  adapter = createOpenAIAdapter({
    provider: "openai",
    baseUrl: `${upstream.url}/v1/`,
    apiKey: "sk-test-123",
    extra: { organization: "org-switchyard" },
  });
});
afterAll(async () => {
  await adapter.close?.();
  await upstream.close();
});
afterEach(() => {
  upstream.requests.length = 0;
});

describe("createOpenAIAdapter — chat()", () => {
  it("sends the request as OpenAI expects it and returns the answer with rate-limit headroom", async () => {
    upstream.handle((_request, response) => sendJson(response, 200, fixture("chat-completion.json"), RATE_LIMIT_HEADERS));
    const result = await adapter.chat(REQUEST, { headers: { "x-trace": "t-1" } });

    const sent = upstream.requests[0];
    expect(sent?.method).toBe("POST");
    expect(sent?.path).toBe("/v1/chat/completions");
    expect(sent?.headers.authorization).toBe("Bearer sk-test-123");
    expect(sent?.headers["content-type"]).toBe("application/json");
    expect(sent?.headers["openai-organization"]).toBe("org-switchyard");
    expect(sent?.headers["x-trace"]).toBe("t-1");
    const body = JSON.parse(sent?.body ?? "") as Record<string, unknown>;
    expect(body).toEqual({
      model: "gpt-4o",
      messages: [
        { role: "system", content: "You are terse." },
        { role: "user", content: "Weather in Boston?" },
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "call_abc123", type: "function", function: { name: "get_weather", arguments: '{"location":"Boston, MA"}' } }],
        },
        { role: "tool", tool_call_id: "call_abc123", content: '{"temp_c":21}' },
      ],
      tools: [{ type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { location: { type: "string" } } } } }],
      tool_choice: "auto",
      max_tokens: 100,
    });

    expect(result).toEqual({
      response: {
        id: "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
        model: "gpt-4o-2024-08-06",
        message: { role: "assistant", content: "Hello! How can I assist you today?", toolCalls: [], refusal: null },
        finish: { unified: "stop", raw: "stop" },
        usage: { inputTokens: 19, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 10, reasoningTokens: 0 },
      },
      rateLimit: HEADROOM,
    });
  });

  it("returns tool calls, cached and reasoning tokens", async () => {
    upstream.handle((_request, response) => sendJson(response, 200, fixture("chat-completion-tool-calls.json")));
    const { response, rateLimit } = await adapter.chat(REQUEST);
    expect(rateLimit).toBeUndefined();
    expect(response.message).toEqual({
      role: "assistant",
      content: null,
      refusal: null,
      toolCalls: [
        { id: "call_abc123", name: "get_weather", arguments: '{"location":"Boston, MA"}' },
        { id: "call_def456", name: "get_time", arguments: '{"tz":"America/New_York"}' },
      ],
    });
    expect(response.finish).toEqual({ unified: "tool_calls", raw: "tool_calls" });
    expect(response.usage).toEqual({ inputTokens: 2006, cachedInputTokens: 1920, cacheWriteTokens: 0, outputTokens: 64, reasoningTokens: 12 });
  });

  it("calls a 200 body that is not JSON an invalid response", async () => {
    upstream.handle((_request, response) => sendJson(response, 200, Buffer.from("<html>oops</html>")));
    const error = await failure(adapter.chat(REQUEST));
    expect(error.kind).toBe("invalid_response");
    expect(error.retryable).toBe(true);
  });

  it("sends no authorization header without an api key, and defaults the base URL", async () => {
    const local = createOpenAIAdapter({ provider: "vllm", baseUrl: upstream.url, extra: {} });
    upstream.handle((_request, response) => sendJson(response, 200, fixture("chat-completion.json")));
    await local.chat({ model: "llama", messages: [{ role: "user", content: "hi" }] });
    await local.close?.();
    expect(upstream.requests[0]?.path).toBe("/chat/completions");
    expect(upstream.requests[0]?.headers.authorization).toBeUndefined();
  });
});

describe("createOpenAIAdapter — errors", () => {
  it.each<[number, string, string, boolean]>([
    [400, "error-400-context-length.json", "context_window", false],
    [400, "error-400-invalid-value.json", "bad_request", false],
    [401, "error-401-invalid-api-key.json", "auth", false],
    [404, "error-404-model-not-found.json", "not_found", false],
    [429, "error-429-rate-limit.json", "rate_limit", true],
    [429, "error-429-insufficient-quota.json", "quota", false],
    [500, "error-500-server.json", "server", true],
    [503, "error-503-overloaded.json", "overloaded", true],
  ])("HTTP %d (%s) rejects chat() and stream() as %s", async (status, name, kind, retryable) => {
    upstream.handle((_request, response) =>
      sendJson(response, status, fixture(name), status === 429 ? { "retry-after": "2", "retry-after-ms": "644" } : {}),
    );
    for (const call of [adapter.chat(REQUEST), adapter.stream(REQUEST)]) {
      const error = await failure(call);
      expect(error.kind).toBe(kind);
      expect(error.status).toBe(status);
      expect(error.retryable).toBe(retryable);
      expect(error.provider).toBe("openai");
      if (status === 429) expect(error.retryAfterMs).toBe(644);
    }
  });

  it("maps a refused connection to `connection`", async () => {
    await expectRefusedConnection((baseUrl) => createOpenAIAdapter({ provider: "openai", baseUrl: `${baseUrl}/v1`, apiKey: "k", extra: {} }), REQUEST);
  });

  it("maps timeoutMs on a server that never answers to `timeout`, for chat() and stream()", async () => {
    await expectSilentUpstreamTimesOut(adapter, REQUEST, upstream);
  });
});

describe("createOpenAIAdapter — stream()", () => {
  it("replays a text stream: text, one finish with usage incl. cached tokens, headroom", async () => {
    upstream.handle((_request, response) => {
      openStream(response, RATE_LIMIT_HEADERS);
      writeInChunks(response, fixture("stream-text.sse"), 7);
      response.end();
    });
    const { events, rateLimit } = await adapter.stream(REQUEST);
    const received = await collect(events);

    const body = JSON.parse(upstream.requests[0]?.body ?? "") as Record<string, unknown>;
    expect(body.stream).toBe(true);
    expect(body.stream_options).toEqual({ include_usage: true });
    expect(body.tools).toEqual([
      { type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { location: { type: "string" } } } } },
    ]);
    expect((body.messages as unknown[])[3]).toEqual({ role: "tool", tool_call_id: "call_abc123", content: '{"temp_c":21}' });

    expect(rateLimit).toEqual(HEADROOM);
    expect(text(received)).toBe("Hello, héllo 日本 🚀!");
    expect(received.filter((event) => event.type === "finish")).toHaveLength(1);
    expect(received.at(-1)).toEqual({
      type: "finish",
      finish: { unified: "stop", raw: "stop" },
      usage: { inputTokens: 1210, cachedInputTokens: 1024, cacheWriteTokens: 0, outputTokens: 9, reasoningTokens: 0 },
      model: "gpt-3.5-turbo-0125",
      id: "chatcmpl-CVFjJ2yQzE7nV1tUu3GQm0hA9c4kP",
    });
  });

  it("assembles parallel tool calls from fragments", async () => {
    upstream.handle((_request, response) => {
      openStream(response);
      writeInChunks(response, fixture("stream-tool-calls.sse"), 5);
      response.end();
    });
    const received = await collect((await adapter.stream(REQUEST)).events);
    const calls = new Map<number, { id?: string; name?: string; arguments: string }>();
    for (const event of received) {
      if (event.type !== "tool-call-delta") continue;
      const call = calls.get(event.index) ?? { arguments: "" };
      if (event.id !== undefined) call.id = event.id;
      if (event.name !== undefined) call.name = event.name;
      call.arguments += event.argumentsDelta;
      calls.set(event.index, call);
    }
    expect([...calls.entries()]).toEqual([
      [0, { id: "call_Qib2xfCV1qpazcvBOLg3wCNL", name: "print", arguments: '{"text":"hi"}' }],
      [1, { id: "call_7fKx2LmPq9RsTuVw3XyZa1Bc", name: "get_weather", arguments: '{"location":"Zürich"}' }],
    ]);
    expect(received.at(-1)).toMatchObject({ type: "finish", finish: { unified: "tool_calls", raw: "tool_calls" } });
    expect(text(received)).toBe("");
  });

  it("returns the socket to the pool after a complete stream, even if the body ends after [DONE]", async () => {
    upstream.handle((_request, response) => {
      openStream(response);
      response.write(fixture("stream-text.sse"));
      setTimeout(() => response.end(), 15);
    });
    await expectSocketBackInPool(
      (httpClient) => createOpenAIAdapter({ provider: "openai", baseUrl: `${upstream.url}/v1/`, apiKey: "sk-test-123", extra: {}, httpClient }),
      REQUEST,
      upstream,
    );
  });

  it("throws a mid-stream error chunk, classified", async () => {
    upstream.handle((_request, response) => {
      openStream(response);
      response.write(`data: ${JSON.stringify({ id: "c", choices: [{ index: 0, delta: { content: "Hel" }, finish_reason: null }] })}\n\n`);
      response.end(
        'data: {"error":{"message":"Rate limit reached for gpt-4o","type":"tokens","param":null,"code":"rate_limit_exceeded"}}\n\n',
      );
    });
    const { received, error } = await eventsUntilFailure(adapter, REQUEST);
    expect(received).toEqual([{ type: "text-delta", text: "Hel" }]);
    expect(error.kind).toBe("rate_limit");
    expect(error.code).toBe("rate_limit_exceeded");
    expect(error.message).toBe("Rate limit reached for gpt-4o");
  });

  it("throws `invalid_response` on a chunk that does not parse", async () => {
    upstream.handle((_request, response) => {
      openStream(response);
      response.write("data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\"}}]}\n\n");
      response.write("data: {\"id\":\"c\",\"choi\n\n");
      // Keep the connection open: the adapter must give up on its own and release it.
    });
    const { events } = await adapter.stream(REQUEST);
    const error = await failure(collect(events));
    expect(error.kind).toBe("invalid_response");
    await upstream.requests[0]?.socketClosed;
  });

  it("throws, rather than hangs, when the socket is destroyed mid-stream", async () => {
    upstream.handle((_request, response) => {
      openStream(response);
      const bytes = fixture("stream-text.sse");
      response.write(bytes.subarray(0, 900));
      setTimeout(() => response.socket?.destroy(), 10);
    });
    const { events } = await adapter.stream(REQUEST);
    const error = await failure(collect(events));
    expect(error.kind).toBe("connection");
    expect(error.retryable).toBe(true);
  });

  it("treats a clean end without [DONE] or finish_reason as truncated", async () => {
    upstream.handle((_request, response) => {
      openStream(response);
      response.end(`data: ${JSON.stringify({ id: "c", choices: [{ index: 0, delta: { content: "Hel" }, finish_reason: null }] })}\n\n`);
    });
    const error = await failure(collect((await adapter.stream(REQUEST)).events));
    expect(error.kind).toBe("connection");
    expect(error.message).toBe("stream ended before completion");
  });

  it("aborting the signal mid-stream aborts the upstream request", async () => {
    upstream.handle((_request, response) => {
      openStream(response);
      response.write(`data: ${JSON.stringify({ id: "c", choices: [{ index: 0, delta: { content: "Hel" }, finish_reason: null }] })}\n\n`);
      // …and then nothing more: only the abort can end this.
    });
    await expectAbortMidStream(adapter, REQUEST, upstream, { type: "text-delta", text: "Hel" });
  });

  it("breaking out of the loop closes the upstream socket", async () => {
    upstream.handle((_request, response) => {
      openStream(response);
      response.write(`data: ${JSON.stringify({ id: "c", choices: [{ index: 0, delta: { content: "Hel" }, finish_reason: null }] })}\n\n`);
    });
    await expectBreakClosesSocket(adapter, REQUEST, upstream, { type: "text-delta", text: "Hel" });
  });

  it("timeoutMs bounds only the wait for headers: a slow stream still completes", async () => {
    upstream.handle((_request, response) => {
      openStream(response);
      const bytes = fixture("stream-text.sse");
      response.write(bytes.subarray(0, 100));
      setTimeout(() => response.end(bytes.subarray(100)), 400);
    });
    const received = await collect((await adapter.stream(REQUEST, { timeoutMs: 200 })).events);
    expect(text(received)).toBe("Hello, héllo 日本 🚀!");
  });
});
