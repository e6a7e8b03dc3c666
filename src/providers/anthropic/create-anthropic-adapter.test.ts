import { readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ChatEvent, ChatRequest } from "../../core/index.js";
import type { HttpClient, HttpResponse, HttpTarget, PostJsonOptions } from "../http/create-http-client.js";
import { startFakeUpstream, writeInChunks, type FakeUpstream } from "../http/testing/start-fake-upstream.js";
import type { ProviderAdapter } from "../spec.js";
import { createAnthropicAdapter } from "./create-anthropic-adapter.js";
import { collectEvents as collect, eventsUntilFailure, providerFailure as failure, textOf as text } from "../http/testing/adapter-test-helpers.js";
import { expectAbortMidStream, expectBreakClosesSocket, expectRefusedConnection, expectSilentUpstreamTimesOut, expectSocketBackInPool } from "../http/testing/stream-transport-checks.js";

const fixture = (name: string): Buffer => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

const NOW = Date.parse("2025-08-21T12:40:00Z");
const RATE_LIMIT_HEADERS = {
  "anthropic-ratelimit-requests-limit": "50",
  "anthropic-ratelimit-requests-remaining": "49",
  "anthropic-ratelimit-requests-reset": "2025-08-21T12:40:01Z",
  "anthropic-ratelimit-tokens-limit": "90000",
  "anthropic-ratelimit-tokens-remaining": "89000",
  "anthropic-ratelimit-tokens-reset": "2025-08-21T12:40:59Z",
};
const HEADROOM = {
  limitRequests: 50,
  remainingRequests: 49,
  resetRequestsMs: 1000,
  limitTokens: 90_000,
  remainingTokens: 89_000,
  resetTokensMs: 59_000,
};

const sendJson = (response: ServerResponse, status: number, body: Buffer, headers: Record<string, string> = {}) => {
  response.writeHead(status, { "content-type": "application/json", "request-id": "req_123", ...headers }).end(body);
};

const openStream = (response: ServerResponse, headers: Record<string, string> = {}) => {
  response.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", ...headers });
};

const sse = (data: Record<string, unknown> & { type: string }): string => `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;
const MESSAGE_START = sse({ type: "message_start", message: { id: "msg_1", model: "claude-x", usage: { input_tokens: 3, output_tokens: 1 } } });
const HEL = sse({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Hel" } });

const REQUEST: ChatRequest = {
  model: "claude-sonnet-4-20250514",
  messages: [
    { role: "system", content: "You are terse." },
    { role: "user", content: "Weather in Paris?" },
    { role: "assistant", content: null, toolCalls: [{ id: "toolu_01NRLabsLyVHZPKxbKvkfSMn", name: "get_weather", arguments: '{"location":"Paris"}' }] },
    { role: "tool", toolCallId: "toolu_01NRLabsLyVHZPKxbKvkfSMn", content: '{"temp_c":21}' },
  ],
  tools: [{ name: "get_weather", parameters: { type: "object", properties: { location: { type: "string" } } } }],
  toolChoice: "auto",
  maxTokens: 100,
};

const WIRE_MESSAGES = [
  { role: "user", content: "Weather in Paris?" },
  {
    role: "assistant",
    content: [{ type: "tool_use", id: "toolu_01NRLabsLyVHZPKxbKvkfSMn", name: "get_weather", input: { location: "Paris" } }],
  },
  { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_01NRLabsLyVHZPKxbKvkfSMn", content: '{"temp_c":21}' }] },
];

let upstream: FakeUpstream;
let adapter: ProviderAdapter;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  adapter = createAnthropicAdapter({
    provider: "anthropic",
    baseUrl: `${upstream.url}/`,
    apiKey: "sk-ant-test",
    extra: { beta: ["prompt-caching-2024-07-31", "token-efficient-tools-2025-02-19"] },
    now: () => NOW,
  });
});
afterAll(async () => {
  await adapter.close?.();
  await upstream.close();
});
afterEach(() => {
  upstream.requests.length = 0;
});

const toolCalls = (events: ChatEvent[]) => {
  const calls = new Map<number, { id?: string; name?: string; arguments: string }>();
  for (const event of events) {
    if (event.type !== "tool-call-delta") continue;
    const call = calls.get(event.index) ?? { arguments: "" };
    if (event.id !== undefined) call.id = event.id;
    if (event.name !== undefined) call.name = event.name;
    call.arguments += event.argumentsDelta;
    calls.set(event.index, call);
  }
  return [...calls.entries()];
};

describe("createAnthropicAdapter — chat()", () => {
  it("sends the request as Anthropic expects it and returns the answer with rate-limit headroom", async () => {
    upstream.handle((_request, response) => sendJson(response, 200, fixture("message.json"), RATE_LIMIT_HEADERS));
    const result = await adapter.chat(REQUEST, { headers: { "x-trace": "t-1" } });

    const sent = upstream.requests[0];
    expect(sent?.method).toBe("POST");
    expect(sent?.path).toBe("/v1/messages");
    expect(sent?.headers["x-api-key"]).toBe("sk-ant-test");
    expect(sent?.headers.authorization).toBeUndefined();
    expect(sent?.headers["anthropic-version"]).toBe("2023-06-01");
    expect(sent?.headers["anthropic-beta"]).toBe("prompt-caching-2024-07-31,token-efficient-tools-2025-02-19");
    expect(sent?.headers["content-type"]).toBe("application/json");
    expect(sent?.headers["x-trace"]).toBe("t-1");
    expect(JSON.parse(sent?.body ?? "")).toEqual({
      model: "claude-sonnet-4-20250514",
      max_tokens: 100,
      system: "You are terse.",
      messages: WIRE_MESSAGES,
      tools: [{ name: "get_weather", input_schema: { type: "object", properties: { location: { type: "string" } } } }],
      tool_choice: { type: "auto" },
    });

    expect(result).toEqual({
      response: {
        id: "msg_01XFDUDYJgAACzvnptvVoYEL",
        model: "claude-sonnet-4-20250514",
        message: { role: "assistant", content: "Hello! How can I help you today?", toolCalls: [] },
        finish: { unified: "stop", raw: "end_turn" },
        usage: { inputTokens: 12, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 10, reasoningTokens: 0 },
      },
      rateLimit: HEADROOM,
    });
  });

  it("returns tool calls with cache-read and cache-write tokens", async () => {
    upstream.handle((_request, response) => sendJson(response, 200, fixture("message-tool-use.json")));
    const { response, rateLimit } = await adapter.chat(REQUEST);
    expect(rateLimit).toBeUndefined();
    expect(response.message.toolCalls).toEqual([
      { id: "toolu_01NRLabsLyVHZPKxbKvkfSMn", name: "get_weather", arguments: '{"location":"Paris"}' },
      { id: "toolu_01A09q90qw90lq917835lq9", name: "get_time", arguments: "{}" },
    ]);
    expect(response.finish).toEqual({ unified: "tool_calls", raw: "tool_use" });
    expect(response.usage).toEqual({ inputTokens: 3625, cachedInputTokens: 2048, cacheWriteTokens: 1200, outputTokens: 65, reasoningTokens: 0 });
  });

  it("calls a 200 body that is not JSON an invalid response", async () => {
    upstream.handle((_request, response) => sendJson(response, 200, Buffer.from("<html>oops</html>")));
    const error = await failure(adapter.chat(REQUEST));
    expect(error.kind).toBe("invalid_response");
    expect(error.retryable).toBe(true);
  });

  it("sends no x-api-key without a key but the deployment's own headers, and a deployment max_tokens default", async () => {
    const local = createAnthropicAdapter({
      provider: "anthropic",
      baseUrl: upstream.url,
      extra: { headers: { Authorization: "Bearer proxy-token" }, anthropicVersion: "2024-01-01", defaultMaxTokens: 777 },
    });
    upstream.handle((_request, response) => sendJson(response, 200, fixture("message.json")));
    await local.chat({ model: "claude-x", messages: [{ role: "user", content: "hi" }] });
    await local.close?.();
    const sent = upstream.requests[0];
    expect(sent?.headers["x-api-key"]).toBeUndefined();
    expect(sent?.headers.authorization).toBe("Bearer proxy-token");
    expect(sent?.headers["anthropic-version"]).toBe("2024-01-01");
    expect(JSON.parse(sent?.body ?? "")).toMatchObject({ max_tokens: 777 });
  });

  it("defaults the base URL to https://api.anthropic.com and uses a given HTTP client without closing it", async () => {
    const targets: HttpTarget[] = [];
    let closed = false;
    const body = fixture("message.json").toString("utf8");
    const response: HttpResponse = {
      status: 200,
      headers: {},
      body: (async function* () {})(),
      text: async () => body,
      release: () => {},
      abort: () => {},
    };
    const httpClient: HttpClient = {
      postJson: async (target: HttpTarget, _body: unknown, _options: PostJsonOptions) => {
        targets.push(target);
        return response;
      },
      close: async () => {
        closed = true;
      },
    };
    const remote = createAnthropicAdapter({ provider: "anthropic", baseUrl: "", apiKey: "k", extra: {}, httpClient });
    await remote.chat({ model: "claude-x", messages: [{ role: "user", content: "hi" }] });
    await remote.close?.();
    expect(targets).toEqual([{ origin: "https://api.anthropic.com", path: "/v1/messages" }]);
    expect(closed).toBe(false);
  });
});

describe("createAnthropicAdapter — errors", () => {
  it.each<[number, string, string, boolean]>([
    [400, "error-400-invalid-request.json", "bad_request", false],
    [400, "error-400-prompt-too-long.json", "context_window", false],
    [400, "error-400-credit-balance.json", "quota", false],
    [401, "error-401-authentication.json", "auth", false],
    [403, "error-403-permission.json", "auth", false],
    [404, "error-404-not-found.json", "not_found", false],
    [413, "error-413-request-too-large.html", "bad_request", false],
    [429, "error-429-rate-limit.json", "rate_limit", true],
    [500, "error-500-api.json", "server", true],
    [529, "error-529-overloaded.json", "overloaded", true],
  ])("HTTP %d (%s) rejects chat() and stream() as %s", async (status, name, kind, retryable) => {
    upstream.handle((_request, response) => {
      const headers = status === 429 ? { "retry-after": "3", ...RATE_LIMIT_HEADERS } : {};
      if (name.endsWith(".html")) response.writeHead(status, { "content-type": "text/html", ...headers }).end(fixture(name));
      else sendJson(response, status, fixture(name), headers);
    });
    for (const call of [adapter.chat(REQUEST), adapter.stream(REQUEST)]) {
      const error = await failure(call);
      expect(error.kind).toBe(kind);
      expect(error.status).toBe(status);
      expect(error.retryable).toBe(retryable);
      expect(error.provider).toBe("anthropic");
      if (status === 429) expect(error.retryAfterMs).toBe(3000);
      if (name.endsWith(".html")) expect(error.message).toContain("413 Request Entity Too Large");
      else expect(error.message).toBe((JSON.parse(fixture(name).toString("utf8")) as { error: { message: string } }).error.message);
    }
  });

  it("maps a refused connection to `connection`", async () => {
    await expectRefusedConnection((baseUrl) => createAnthropicAdapter({ provider: "anthropic", baseUrl, apiKey: "k", extra: {} }), REQUEST);
  });

  it("maps timeoutMs on a server that never answers to `timeout`, for chat() and stream()", async () => {
    await expectSilentUpstreamTimesOut(adapter, REQUEST, upstream);
  });

  it("refuses, without sending, tool arguments that cannot become Anthropic's input object", async () => {
    const bad: ChatRequest = {
      model: "claude-x",
      messages: [{ role: "assistant", content: null, toolCalls: [{ id: "t", name: "f", arguments: "{oops" }] }],
    };
    expect((await failure(adapter.chat(bad))).kind).toBe("bad_request");
    expect((await failure(adapter.stream(bad))).kind).toBe("bad_request");
    expect(upstream.requests).toHaveLength(0);
  });
});

describe("createAnthropicAdapter — stream()", () => {
  it("replays a text stream split inside UTF-8 characters: text, one finish with usage, headroom", async () => {
    upstream.handle((_request, response) => {
      openStream(response, RATE_LIMIT_HEADERS);
      writeInChunks(response, fixture("stream-text.sse"), 7);
      response.end();
    });
    const { events, rateLimit } = await adapter.stream(REQUEST);
    const received = await collect(events);

    const body = JSON.parse(upstream.requests[0]?.body ?? "") as Record<string, unknown>;
    expect(body.stream).toBe(true);
    expect(body.messages).toEqual(WIRE_MESSAGES);
    expect(body.system).toBe("You are terse.");

    expect(rateLimit).toEqual(HEADROOM);
    expect(text(received)).toBe("Hello, héllo 日本 🚀!");
    expect(received.filter((event) => event.type === "finish")).toHaveLength(1);
    expect(received.at(-1)).toEqual({
      type: "finish",
      finish: { unified: "stop", raw: "end_turn" },
      usage: { inputTokens: 1035, cachedInputTokens: 1024, cacheWriteTokens: 0, outputTokens: 6, reasoningTokens: 0 },
      model: "claude-3-opus-latest",
      id: "msg_4QpJur2dWWDjF6C758FbBw5vm12BaVipnK",
    });
  });

  it("assembles tool calls numbered among calls, with \\r\\n line endings and three-byte chunks", async () => {
    upstream.handle((_request, response) => {
      openStream(response);
      writeInChunks(response, Buffer.from(fixture("stream-tool-use.sse").toString("utf8").replace(/\n/g, "\r\n")), 3);
      response.end();
    });
    const received = await collect((await adapter.stream(REQUEST)).events);
    expect(text(received)).toBe("Let me check.");
    expect(toolCalls(received)).toEqual([
      [0, { id: "toolu_01NRLabsLyVHZPKxbKvkfSMn", name: "get_weather", arguments: '{"location": "Zürich"}' }],
      [1, { id: "toolu_01A09q90qw90lq917835lq9", name: "get_time", arguments: "{}" }],
    ]);
    expect(received.at(-1)).toMatchObject({
      type: "finish",
      finish: { unified: "tool_calls", raw: "tool_use" },
      usage: { inputTokens: 472, outputTokens: 89 },
    });
  });

  it("skips keep-alive comments and returns the socket to the pool after message_stop", async () => {
    upstream.handle((_request, response) => {
      openStream(response);
      response.write(": keep-alive\n\n");
      response.write(fixture("stream-text.sse"));
      setTimeout(() => response.end(": trailing\n\n"), 15);
    });
    expect(text(await collect((await adapter.stream(REQUEST)).events))).toBe("Hello, héllo 日本 🚀!");
    await expectSocketBackInPool(
      (httpClient) => createAnthropicAdapter({ provider: "anthropic", baseUrl: `${upstream.url}/`, apiKey: "sk-ant-test", extra: {}, httpClient }),
      REQUEST,
      upstream,
    );
  });

  it("throws a mid-stream error event, classified", async () => {
    upstream.handle((_request, response) => {
      openStream(response);
      response.write(MESSAGE_START + HEL);
      response.end('event: error\ndata: {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}\n\n');
    });
    const { received, error } = await eventsUntilFailure(adapter, REQUEST);
    expect(received).toEqual([{ type: "text-delta", text: "Hel" }]);
    expect(error).toMatchObject({ kind: "overloaded", code: "overloaded_error", message: "Overloaded", retryable: true });
  });

  it("throws `invalid_response` on an event that does not parse, and closes the socket", async () => {
    upstream.handle((_request, response) => {
      openStream(response);
      response.write(MESSAGE_START + HEL);
      response.write('event: content_block_delta\ndata: {"type":"content_bl\n\n');
      // Keep the connection open: the adapter must give up on its own and close it.
    });
    const error = await failure(collect((await adapter.stream(REQUEST)).events));
    expect(error.kind).toBe("invalid_response");
    await upstream.requests[0]?.socketClosed;
  });

  it("throws, rather than hangs, when the socket is destroyed mid-stream", async () => {
    upstream.handle((_request, response) => {
      openStream(response);
      response.write(fixture("stream-text.sse").subarray(0, 600));
      setTimeout(() => response.socket?.destroy(), 10);
    });
    const error = await failure(collect((await adapter.stream(REQUEST)).events));
    expect(error.kind).toBe("connection");
    expect(error.retryable).toBe(true);
  });

  it("treats a clean end without message_stop as truncated", async () => {
    upstream.handle((_request, response) => {
      openStream(response);
      const bytes = fixture("stream-text.sse").toString("utf8");
      response.end(bytes.slice(0, bytes.indexOf("event: message_stop")));
    });
    const error = await failure(collect((await adapter.stream(REQUEST)).events));
    expect(error.kind).toBe("connection");
    expect(error.message).toBe("stream ended before completion");
  });

  it("aborting the signal mid-stream aborts the upstream request", async () => {
    upstream.handle((_request, response) => {
      openStream(response);
      response.write(MESSAGE_START + HEL);
      // …and then nothing more: only the abort can end this.
    });
    await expectAbortMidStream(adapter, REQUEST, upstream, { type: "text-delta", text: "Hel" });
  });

  it("breaking out of the loop closes the upstream socket", async () => {
    upstream.handle((_request, response) => {
      openStream(response);
      response.write(MESSAGE_START + HEL);
    });
    await expectBreakClosesSocket(adapter, REQUEST, upstream, { type: "text-delta", text: "Hel" });
  });

  it("timeoutMs bounds only the wait for headers: a slow stream still completes", async () => {
    upstream.handle((_request, response) => {
      openStream(response);
      const bytes = fixture("stream-text.sse");
      response.write(bytes.subarray(0, 100));
      setTimeout(() => response.end(bytes.subarray(100)), 300);
    });
    const received = await collect((await adapter.stream(REQUEST, { timeoutMs: 150 })).events);
    expect(text(received)).toBe("Hello, héllo 日本 🚀!");
  });
});
