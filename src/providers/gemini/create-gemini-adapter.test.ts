import { readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ChatRequest } from "../../core/index.js";
import { startFakeUpstream, writeInChunks, type FakeUpstream } from "../http/testing/start-fake-upstream.js";
import type { ProviderAdapter } from "../spec.js";
import { createGeminiAdapter } from "./create-gemini-adapter.js";
import { decodeGeminiThoughtSignature } from "./wire/gemini-tool-call-id.js";
import { collectEvents as collect, eventsUntilFailure, providerFailure as failure, textOf as text } from "../http/testing/adapter-test-helpers.js";
import { expectAbortMidStream, expectBreakClosesSocket, expectRefusedConnection, expectSilentUpstreamTimesOut } from "../http/testing/stream-transport-checks.js";

const fixture = (name: string): Buffer => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

const sendJson = (response: ServerResponse, status: number, body: Buffer | string) => {
  response.writeHead(status, { "content-type": "application/json; charset=UTF-8" }).end(body);
};

const openStream = (response: ServerResponse) => {
  response.writeHead(200, { "content-type": "text/event-stream" });
};

const textChunk = (text: string) => `data: ${JSON.stringify({ candidates: [{ content: { parts: [{ text }], role: "model" } }] })}\r\n\r\n`;

const REQUEST: ChatRequest = {
  model: "gemini-2.0-flash",
  messages: [
    { role: "system", content: "You are terse." },
    { role: "user", content: "Weather in Boston?" },
    { role: "assistant", content: null, toolCalls: [{ id: "call_0", name: "get_weather", arguments: '{"location":"Boston, MA"}' }] },
    { role: "tool", toolCallId: "call_0", content: '{"temp_c":21}' },
  ],
  tools: [{ name: "get_weather", parameters: { type: "object", properties: { location: { type: "string" } } } }],
  toolChoice: "auto",
  maxTokens: 100,
};

const EXPECTED_BODY = {
  systemInstruction: { parts: [{ text: "You are terse." }] },
  contents: [
    { role: "user", parts: [{ text: "Weather in Boston?" }] },
    { role: "model", parts: [{ functionCall: { name: "get_weather", args: { location: "Boston, MA" } } }] },
    { role: "user", parts: [{ functionResponse: { name: "get_weather", response: { temp_c: 21 } } }] },
  ],
  tools: [{ functionDeclarations: [{ name: "get_weather", parameters: { type: "object", properties: { location: { type: "string" } } } }] }],
  toolConfig: { functionCallingConfig: { mode: "AUTO" } },
  generationConfig: { maxOutputTokens: 100 },
};

let upstream: FakeUpstream;
let adapter: ProviderAdapter;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  adapter = createGeminiAdapter({ provider: "gemini", baseUrl: `${upstream.url}/`, apiKey: "AIza-test-123", extra: {} });
});
afterAll(async () => {
  await adapter.close?.();
  await upstream.close();
});
afterEach(() => {
  upstream.requests.length = 0;
});

describe("createGeminiAdapter — chat()", () => {
  it("sends generateContent as Gemini expects it and returns the answer", async () => {
    upstream.handle((_request, response) => sendJson(response, 200, fixture("generate-content-text.json")));
    const result = await adapter.chat(REQUEST, { headers: { "x-trace": "t-1" } });

    const sent = upstream.requests[0];
    expect(sent?.method).toBe("POST");
    expect(sent?.path).toBe("/v1beta/models/gemini-2.0-flash:generateContent");
    expect(sent?.headers["x-goog-api-key"]).toBe("AIza-test-123");
    expect(sent?.headers.authorization).toBeUndefined();
    expect(sent?.headers["content-type"]).toBe("application/json");
    expect(sent?.headers["x-trace"]).toBe("t-1");
    expect(JSON.parse(sent?.body ?? "")).toEqual(EXPECTED_BODY);

    expect(result).toEqual({
      response: {
        id: "38CHaLjMG6TujrEPtvTiuQk",
        model: "gemini-2.0-flash",
        message: { role: "assistant", content: "Google's headquarters is in **Mountain View, California**.\n", toolCalls: [] },
        finish: { unified: "stop", raw: "STOP" },
        usage: { inputTokens: 7, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 22, reasoningTokens: 0 },
      },
    });
  });

  it("returns tool calls whose ids bring the thought signature back on the next turn", async () => {
    upstream.handle((_request, response) => sendJson(response, 200, fixture("generate-content-tool-calls.json")));
    const { response } = await adapter.chat(REQUEST);
    expect(response.finish).toEqual({ unified: "tool_calls", raw: "STOP" });
    expect(response.message.toolCalls.map((call) => call.name)).toEqual(["get_weather", "get_time"]);
    expect(response.usage).toEqual({ inputTokens: 2006, cachedInputTokens: 1920, cacheWriteTokens: 0, outputTokens: 64, reasoningTokens: 24 });

    upstream.handle((_request, reply) => sendJson(reply, 200, fixture("generate-content-text.json")));
    await adapter.chat({
      model: "gemini-2.5-flash",
      messages: [
        { role: "user", content: "Weather and time?" },
        { role: "assistant", content: response.message.content, toolCalls: response.message.toolCalls },
        ...response.message.toolCalls.map((call) => ({ role: "tool" as const, toolCallId: call.id, content: `${call.name} done` })),
      ],
    });
    const body = JSON.parse(upstream.requests[1]?.body ?? "") as { contents: unknown[] };
    expect(body.contents.slice(1)).toEqual([
      {
        role: "model",
        parts: [
          { text: "Let me check both." },
          {
            functionCall: { name: "get_weather", args: { location: "Boston, MA" } },
            thoughtSignature: decodeGeminiThoughtSignature(response.message.toolCalls[0]?.id ?? ""),
          },
          { functionCall: { name: "get_time", args: { tz: "America/New_York" } } },
        ],
      },
      {
        role: "user",
        parts: [
          { functionResponse: { name: "get_weather", response: { content: "get_weather done" } } },
          { functionResponse: { name: "get_time", response: { content: "get_time done" } } },
        ],
      },
    ]);
    expect(JSON.stringify(body)).toContain('"thoughtSignature":"CiQB0e2Kb+/sig=="');
  });

  it("calls a 200 body that is not JSON an invalid response", async () => {
    upstream.handle((_request, response) => sendJson(response, 200, "<html>oops</html>"));
    const error = await failure(adapter.chat(REQUEST));
    expect(error.kind).toBe("invalid_response");
    expect(error.retryable).toBe(true);
  });

  it("refuses a tool result that answers no call without sending anything", async () => {
    const request: ChatRequest = { model: "gemini-2.0-flash", messages: [{ role: "tool", toolCallId: "nope", content: "x" }] };
    expect((await failure(adapter.chat(request))).kind).toBe("bad_request");
    expect((await failure(adapter.stream(request))).kind).toBe("bad_request");
    expect(upstream.requests).toHaveLength(0);
  });

  it("honours extra.apiVersion and extra.headers, and sends no key header without a key", async () => {
    const local = createGeminiAdapter({
      provider: "gemini",
      baseUrl: upstream.url,
      extra: { apiVersion: "v1", headers: { "X-Goog-User-Project": "proj-1" } },
    });
    upstream.handle((_request, response) => sendJson(response, 200, fixture("generate-content-text.json")));
    await local.chat({ model: "models/gemini-2.0-flash", messages: [{ role: "user", content: "hi" }] });
    await local.close?.();
    expect(upstream.requests[0]?.path).toBe("/v1/models/gemini-2.0-flash:generateContent");
    expect(upstream.requests[0]?.headers["x-goog-api-key"]).toBeUndefined();
    expect(upstream.requests[0]?.headers["x-goog-user-project"]).toBe("proj-1");
  });
});

describe("createGeminiAdapter — errors", () => {
  it.each<[number, string, string, boolean]>([
    [400, "error-400-api-key-invalid.json", "auth", false],
    [400, "error-400-invalid-argument.json", "bad_request", false],
    [400, "error-400-context-window.json", "context_window", false],
    [400, "error-400-failed-precondition.json", "auth", false],
    [403, "error-403-permission-denied.json", "auth", false],
    [404, "error-404-not-found.json", "not_found", false],
    [429, "error-429-rate-limit.json", "rate_limit", true],
    [429, "error-429-daily-quota.json", "quota", false],
    [500, "error-500-internal.json", "server", true],
    [503, "error-503-unavailable.json", "overloaded", true],
    [504, "error-504-deadline-exceeded.json", "timeout", true],
  ])("HTTP %d (%s) rejects chat() and stream() as %s", async (status, name, kind, retryable) => {
    upstream.handle((_request, response) => sendJson(response, status, fixture(name)));
    for (const call of [adapter.chat(REQUEST), adapter.stream(REQUEST)]) {
      const error = await failure(call);
      expect(error.kind).toBe(kind);
      expect(error.status).toBe(status);
      expect(error.retryable).toBe(retryable);
      expect(error.provider).toBe("gemini");
      if (name === "error-429-rate-limit.json") expect(error.retryAfterMs).toBe(13_000);
    }
  });

  it("maps a refused connection to `connection`", async () => {
    await expectRefusedConnection((baseUrl) => createGeminiAdapter({ provider: "gemini", baseUrl, apiKey: "k", extra: {} }), REQUEST);
  });

  it("maps timeoutMs on a server that never answers to `timeout`, for chat() and stream()", async () => {
    await expectSilentUpstreamTimesOut(adapter, REQUEST, upstream);
  });
});

describe("createGeminiAdapter — stream()", () => {
  it("replays a text stream split at odd byte boundaries: text, one finish with usage", async () => {
    upstream.handle((_request, response) => {
      openStream(response);
      writeInChunks(response, fixture("stream-text.sse"), 7);
      response.end();
    });
    const { events, rateLimit } = await adapter.stream(REQUEST);
    const received = await collect(events);

    expect(upstream.requests[0]?.path).toBe("/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse");
    expect(upstream.requests[0]?.headers["x-goog-api-key"]).toBe("AIza-test-123");
    expect(JSON.parse(upstream.requests[0]?.body ?? "")).toEqual(EXPECTED_BODY);
    expect(rateLimit).toBeUndefined();
    expect(text(received)).toBe("The capital of Wyoming — héllo 日本 🚀 is **Cheyenne**.\n");
    expect(received.filter((event) => event.type === "finish")).toHaveLength(1);
    expect(received.at(-1)).toEqual({
      type: "finish",
      finish: { unified: "stop", raw: "STOP" },
      usage: { inputTokens: 7, cachedInputTokens: 4, cacheWriteTokens: 0, outputTokens: 10, reasoningTokens: 0 },
      model: "gemini-2.0-flash",
      id: "st-1",
    });
  });

  it("reads \\n framing with keep-alive comments the same way", async () => {
    upstream.handle((_request, response) => {
      openStream(response);
      const bytes = Buffer.from(`: ping\n\n${fixture("stream-text.sse").toString("utf8").replace(/\r\n/g, "\n")}: ping\n\n`, "utf8");
      writeInChunks(response, bytes, 3);
      response.end();
    });
    const received = await collect((await adapter.stream(REQUEST)).events);
    expect(text(received)).toBe("The capital of Wyoming — héllo 日本 🚀 is **Cheyenne**.\n");
    expect(received.at(-1)).toMatchObject({ type: "finish", finish: { unified: "stop" } });
  });

  it("streams whole function calls as one tool-call-delta each, then tool_calls with reasoning tokens", async () => {
    upstream.handle((_request, response) => {
      openStream(response);
      writeInChunks(response, fixture("stream-tool-calls.sse"), 5);
      response.end();
    });
    const received = await collect((await adapter.stream(REQUEST)).events);
    expect(text(received)).toBe("Let me look.");
    const calls = received.filter((event) => event.type === "tool-call-delta");
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatchObject({ index: 0, name: "get_weather", argumentsDelta: '{"location":"Zürich"}' });
    expect(calls[0]?.type === "tool-call-delta" && decodeGeminiThoughtSignature(calls[0].id ?? "")).toBe("Zm9vYmFy/+==");
    expect(calls[1]).toEqual({ type: "tool-call-delta", index: 1, id: "call_1", name: "print", argumentsDelta: '{"text":"hi"}' });
    expect(received.at(-1)).toEqual({
      type: "finish",
      finish: { unified: "tool_calls", raw: "STOP" },
      usage: { inputTokens: 82, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 58, reasoningTokens: 17 },
      model: "gemini-2.5-flash",
      id: "stc-1",
    });
  });

  it("finishes a prompt-blocked stream as content_filter", async () => {
    upstream.handle((_request, response) => {
      openStream(response);
      response.end(fixture("stream-blocked.sse"));
    });
    const received = await collect((await adapter.stream(REQUEST)).events);
    expect(received).toEqual([
      {
        type: "finish",
        finish: { unified: "content_filter", raw: "SAFETY" },
        usage: { inputTokens: 9, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 },
        model: "gemini-2.0-flash",
        id: "sb-1",
      },
    ]);
  });

  it("throws a bare JSON error chunk mid-stream, classified (WIRE §10.6)", async () => {
    upstream.handle((_request, response) => {
      openStream(response);
      response.write(textChunk("Hel"));
      writeInChunks(response, fixture("error-503-unavailable.json"), 9);
      response.end();
    });
    const { received, error } = await eventsUntilFailure(adapter, REQUEST);
    expect(received).toEqual([{ type: "text-delta", text: "Hel" }]);
    expect(error.kind).toBe("overloaded");
    expect(error.code).toBe("UNAVAILABLE");
    expect(error.message).toBe("The model is overloaded. Please try again later.");
  });

  it("throws a data: error chunk with RetryInfo as rate_limit with its retry hint", async () => {
    upstream.handle((_request, response) => {
      openStream(response);
      response.write(textChunk("Hel"));
      response.end(`data: ${JSON.stringify(JSON.parse(fixture("error-429-rate-limit.json").toString("utf8")))}\n\n`);
    });
    const error = await failure(collect((await adapter.stream(REQUEST)).events));
    expect(error.kind).toBe("rate_limit");
    expect(error.retryAfterMs).toBe(13_000);
  });

  it("throws `invalid_response` on a chunk that does not parse, and closes the socket", async () => {
    upstream.handle((_request, response) => {
      openStream(response);
      response.write(textChunk("ok"));
      response.write('data: {"candidates":[{"cont\n\n');
      // Keep the connection open: the adapter must give up on its own and close it.
    });
    const error = await failure(collect((await adapter.stream(REQUEST)).events));
    expect(error.kind).toBe("invalid_response");
    await upstream.requests[0]?.socketClosed;
  });

  it("treats a clean end without finishReason as truncated", async () => {
    upstream.handle((_request, response) => {
      openStream(response);
      response.end(textChunk("Hel"));
    });
    const error = await failure(collect((await adapter.stream(REQUEST)).events));
    expect(error.kind).toBe("connection");
    expect(error.message).toBe("stream ended before completion");
  });

  it("throws, rather than hangs, when the socket is destroyed mid-stream", async () => {
    upstream.handle((_request, response) => {
      openStream(response);
      response.write(fixture("stream-text.sse").subarray(0, 300));
      setTimeout(() => response.socket?.destroy(), 10);
    });
    const error = await failure(collect((await adapter.stream(REQUEST)).events));
    expect(error.kind).toBe("connection");
    expect(error.retryable).toBe(true);
  });

  it("aborting the signal mid-stream aborts the upstream request", async () => {
    upstream.handle((_request, response) => {
      openStream(response);
      response.write(textChunk("Hel"));
    });
    await expectAbortMidStream(adapter, REQUEST, upstream, { type: "text-delta", text: "Hel" });
  });

  it("breaking out of the loop closes the upstream socket", async () => {
    upstream.handle((_request, response) => {
      openStream(response);
      response.write(textChunk("Hel"));
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
    expect(received.at(-1)).toMatchObject({ type: "finish", finish: { unified: "stop" } });
  });

  it("reuses the connection after a complete stream", async () => {
    upstream.handle((_request, response) => {
      openStream(response);
      response.end(fixture("stream-text.sse"));
    });
    // A fresh pool, so that idle sockets left by other tests cannot be picked instead.
    const fresh = createGeminiAdapter({ provider: "gemini", baseUrl: upstream.url, apiKey: "k", extra: {} });
    await collect((await fresh.stream(REQUEST)).events);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await collect((await fresh.stream(REQUEST)).events);
    await fresh.close?.();
    const [first, second] = upstream.requests;
    expect(second?.remotePort).toBe(first?.remotePort);
  });
});
