import type { ServerResponse } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ChatRequest } from "../../core/index.js";
import { startFakeUpstream, writeInChunks, type FakeUpstream } from "../http/testing/start-fake-upstream.js";
import type { ProviderAdapter } from "../spec.js";
import { createBedrockAdapter } from "./create-bedrock-adapter.js";
import { encodeBedrockEvent, encodeBedrockException, encodeEventStreamFrame } from "./wire/encode-bedrock-frame.js";
import { collectEvents as collect, eventsUntilFailure, textOf as text } from "../http/testing/adapter-test-helpers.js";
import { expectAbortMidStream, expectBreakClosesSocket, expectSocketBackInPool } from "../http/testing/stream-transport-checks.js";

const MODEL = "anthropic.claude-3-5-sonnet-20240620-v1:0";

const REQUEST: ChatRequest = {
  model: MODEL,
  messages: [{ role: "user", content: "Weather in Paris?" }],
  tools: [{ name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } }],
};

const delta = (text: string, index = 0) => encodeBedrockEvent("contentBlockDelta", { contentBlockIndex: index, delta: { text } });
const messageStart = () => encodeBedrockEvent("messageStart", { role: "assistant" });
const messageStop = (stopReason = "end_turn") => encodeBedrockEvent("messageStop", { stopReason });
const metadata = (usage: Record<string, number> = { inputTokens: 22, outputTokens: 55, totalTokens: 77 }) =>
  encodeBedrockEvent("metadata", { usage, metrics: { latencyMs: 2040 } });

/** A text answer whose characters are split across frames and, by writeInChunks, across chunks. */
const TEXT_STREAM = Buffer.concat([
  messageStart(),
  delta("Hello, hé"),
  delta("llo 日本 🚀!"),
  encodeBedrockEvent("contentBlockStop", { contentBlockIndex: 0 }),
  messageStop(),
  metadata({ inputTokens: 10, outputTokens: 9, totalTokens: 1243, cacheReadInputTokens: 1200, cacheWriteInputTokens: 24 }),
]);

/** Padding-free and short, so that every chunk size can be replayed over HTTP quickly. */
const SMALL_STREAM = Buffer.concat([
  encodeBedrockEvent("contentBlockDelta", { delta: { text: "é🚀" } }, ""),
  encodeBedrockEvent("messageStop", { stopReason: "max_tokens" }, ""),
  encodeBedrockEvent("metadata", { usage: { inputTokens: 1, outputTokens: 2 } }, ""),
]);

const TOOL_STREAM = Buffer.concat([
  messageStart(),
  delta("Checking."),
  encodeBedrockEvent("contentBlockStop", { contentBlockIndex: 0 }),
  encodeBedrockEvent("contentBlockStart", { contentBlockIndex: 1, start: { toolUse: { toolUseId: "tooluse_a", name: "get_weather" } } }),
  encodeBedrockEvent("contentBlockDelta", { contentBlockIndex: 1, delta: { toolUse: { input: '{"city":' } } }),
  encodeBedrockEvent("contentBlockDelta", { contentBlockIndex: 1, delta: { toolUse: { input: '"Zürich"}' } } }),
  encodeBedrockEvent("contentBlockStop", { contentBlockIndex: 1 }),
  encodeBedrockEvent("contentBlockStart", { contentBlockIndex: 2, start: { toolUse: { toolUseId: "tooluse_b", name: "get_time" } } }),
  encodeBedrockEvent("contentBlockDelta", { contentBlockIndex: 2, delta: { toolUse: { input: "{}" } } }),
  encodeBedrockEvent("contentBlockStop", { contentBlockIndex: 2 }),
  messageStop("tool_use"),
  metadata(),
]);

const openStream = (response: ServerResponse) => {
  response.writeHead(200, { "content-type": "application/vnd.amazon.eventstream", "x-amzn-requestid": "req-stream-1" });
};

let upstream: FakeUpstream;
let adapter: ProviderAdapter;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  adapter = createBedrockAdapter({
    provider: "bedrock",
    baseUrl: upstream.url,
    extra: { region: "us-east-1", accessKeyId: "AKID", secretAccessKey: "secret" },
  });
});
afterAll(async () => {
  await adapter.close?.();
  await upstream.close();
});
afterEach(() => {
  upstream.requests.length = 0;
});

/** Collects until the stream throws, returning what came before and the error. */
const collectUntilFailure = (request: ChatRequest = REQUEST) => eventsUntilFailure(adapter, request);

const replay = (bytes: Buffer, chunkSize: number, end = true) =>
  upstream.handle((_request, response) => {
    openStream(response);
    writeInChunks(response, bytes, chunkSize);
    if (end) response.end();
  });

describe("createBedrockAdapter — stream()", () => {
  it("replays a text stream: signed request to converse-stream, text, one finish with cache-inclusive usage", async () => {
    replay(TEXT_STREAM, 7);
    const { events, rateLimit } = await adapter.stream(REQUEST);
    const received = await collect(events);

    const sent = upstream.requests[0];
    expect(sent?.path).toBe("/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse-stream");
    expect(String(sent?.headers.authorization)).toMatch(/^AWS4-HMAC-SHA256 Credential=AKID\/\d{8}\/us-east-1\/bedrock\/aws4_request, /);
    expect(JSON.parse(sent?.body ?? "")).toMatchObject({ messages: [{ role: "user", content: [{ text: "Weather in Paris?" }] }] });

    expect(rateLimit).toBeUndefined();
    expect(text(received)).toBe("Hello, héllo 日本 🚀!");
    expect(received.filter((event) => event.type === "finish")).toHaveLength(1);
    expect(received.at(-1)).toEqual({
      type: "finish",
      finish: { unified: "stop", raw: "end_turn" },
      usage: { inputTokens: 1234, cachedInputTokens: 1200, cacheWriteTokens: 24, outputTokens: 9, reasoningTokens: 0 },
      model: MODEL,
      id: "req-stream-1",
    });
  });

  it("decodes frames split at every chunk size", async () => {
    for (let size = 1; size <= SMALL_STREAM.length; size++) {
      // One piece per turn of the event loop, so the pieces reach the adapter as separate reads
      // instead of being coalesced on the loopback socket.
      upstream.handle(async (_request, response) => {
        openStream(response);
        for (let offset = 0; offset < SMALL_STREAM.length; offset += size) {
          writeInChunks(response, SMALL_STREAM.subarray(offset, offset + size), size);
          await new Promise((resolve) => setImmediate(resolve));
        }
        response.end();
      });
      const received = await collect((await adapter.stream(REQUEST)).events);
      expect(received, `chunk size ${size}`).toEqual([
        { type: "text-delta", text: "é🚀" },
        {
          type: "finish",
          finish: { unified: "length", raw: "max_tokens" },
          usage: { inputTokens: 1, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 2, reasoningTokens: 0 },
          model: MODEL,
          id: "req-stream-1",
        },
      ]);
    }
  });

  it("streams tool calls: index, id and name on the first fragment, then the input fragments", async () => {
    replay(TOOL_STREAM, 5);
    const received = await collect((await adapter.stream(REQUEST)).events);
    expect(received.slice(0, -1)).toEqual([
      { type: "text-delta", text: "Checking." },
      { type: "tool-call-delta", index: 0, id: "tooluse_a", name: "get_weather", argumentsDelta: "" },
      { type: "tool-call-delta", index: 0, argumentsDelta: '{"city":' },
      { type: "tool-call-delta", index: 0, argumentsDelta: '"Zürich"}' },
      { type: "tool-call-delta", index: 1, id: "tooluse_b", name: "get_time", argumentsDelta: "" },
      { type: "tool-call-delta", index: 1, argumentsDelta: "{}" },
    ]);
    expect(received.at(-1)).toMatchObject({ type: "finish", finish: { unified: "tool_calls", raw: "tool_use" } });
  });

  it("ignores event types it does not know, and streams reasoning deltas as reasoning", async () => {
    replay(
      Buffer.concat([
        messageStart(),
        encodeBedrockEvent("contentBlockDelta", { contentBlockIndex: 0, delta: { reasoningContent: { text: "thinking…" } } }),
        encodeBedrockEvent("somethingNew", { anything: true }),
        delta("ok", 1),
        messageStop(),
        metadata(),
      ]),
      64,
    );
    const received = await collect((await adapter.stream(REQUEST)).events);
    expect(received.map((event) => event.type)).toEqual(["reasoning-delta", "text-delta", "finish"]);
    expect(received[0]).toEqual({ type: "reasoning-delta", text: "thinking…" });
  });

  it("returns the socket to the pool after a complete stream", async () => {
    upstream.handle((_request, response) => {
      openStream(response);
      response.write(TEXT_STREAM);
      setTimeout(() => response.end(), 15);
    });
    await expectSocketBackInPool(
      (httpClient) => createBedrockAdapter({ provider: "bedrock", baseUrl: upstream.url, extra: { region: "us-east-1", accessKeyId: "AKID", secretAccessKey: "s" }, httpClient }),
      REQUEST,
      upstream,
    );
  });

  it("throws a mid-stream exception frame, classified", async () => {
    replay(
      Buffer.concat([messageStart(), delta("Hel"), encodeBedrockException("throttlingException", { message: "Too many tokens, please wait before trying again." })]),
      9,
    );
    const { received, error } = await collectUntilFailure();
    expect(received).toEqual([{ type: "text-delta", text: "Hel" }]);
    expect(error.kind).toBe("rate_limit");
    expect(error.code).toBe("ThrottlingException");
    expect(error.message).toBe("Too many tokens, please wait before trying again.");
    expect(error.status).toBeUndefined();
  });

  it("classifies a model stream error and a generic error frame", async () => {
    replay(encodeBedrockException("modelStreamErrorException", { message: "model failed", originalStatusCode: 500 }), 64);
    const modelError = (await collectUntilFailure()).error;
    expect(modelError.kind).toBe("server");
    expect(modelError.retryable).toBe(true);
    replay(encodeEventStreamFrame({ ":message-type": "error", ":error-code": "InternalFailure", ":error-message": "oops" }, ""), 64);
    const generic = (await collectUntilFailure()).error;
    expect(generic.message).toBe("oops");
    expect(generic.code).toBe("InternalFailure");
  });

  it("throws `invalid_response` on garbage bytes and on a payload that is not JSON, closing the socket", async () => {
    upstream.handle((_request, response) => {
      openStream(response);
      response.write(delta("ok"));
      response.write("<html>502 Bad Gateway</html>");
      // Keep the connection open: the adapter must give up on its own and close it.
    });
    const garbage = await collectUntilFailure();
    expect(garbage.received).toEqual([{ type: "text-delta", text: "ok" }]);
    expect(garbage.error.kind).toBe("invalid_response");
    await upstream.requests[0]?.socketClosed;

    replay(encodeEventStreamFrame({ ":message-type": "event", ":event-type": "contentBlockDelta" }, '{"delta":'), 64);
    expect((await collectUntilFailure()).error.kind).toBe("invalid_response");
    replay(encodeEventStreamFrame({ ":event-type": "contentBlockDelta" }, "{}"), 64);
    expect((await collectUntilFailure()).error.kind).toBe("invalid_response");
    replay(Buffer.concat([encodeBedrockEvent("contentBlockDelta", { contentBlockIndex: 3, delta: { toolUse: { input: "{" } } }), messageStop(), metadata()]), 64);
    expect((await collectUntilFailure()).error.kind).toBe("invalid_response");
  });

  it.each<[string, Buffer]>([
    ["ends after text", Buffer.concat([messageStart(), delta("Hel")])],
    ["has messageStop but no metadata", Buffer.concat([messageStart(), delta("Hel"), messageStop()])],
    ["has metadata but no messageStop", Buffer.concat([messageStart(), delta("Hel"), metadata()])],
    ["ends inside a frame", TEXT_STREAM.subarray(0, TEXT_STREAM.length - 10)],
  ])("treats a stream that %s as truncated", async (_label, bytes) => {
    replay(bytes, 11);
    const { error } = await collectUntilFailure();
    expect(error.kind).toBe("connection");
    expect(error.message).toBe("stream ended before completion");
    expect(error.retryable).toBe(true);
  });

  it("throws, rather than hangs, when the socket is destroyed mid-stream", async () => {
    upstream.handle((_request, response) => {
      openStream(response);
      response.write(TEXT_STREAM.subarray(0, 150));
      setTimeout(() => response.socket?.destroy(), 10);
    });
    const { error } = await collectUntilFailure();
    expect(error.kind).toBe("connection");
  });

  it("aborting the signal mid-stream aborts the upstream request", async () => {
    replay(Buffer.concat([messageStart(), delta("Hel")]), 64, false);
    await expectAbortMidStream(adapter, REQUEST, upstream, { type: "text-delta", text: "Hel" });
  });

  it("breaking out of the loop closes the upstream socket", async () => {
    replay(Buffer.concat([messageStart(), delta("Hel")]), 64, false);
    await expectBreakClosesSocket(adapter, REQUEST, upstream, { type: "text-delta", text: "Hel" });
  });

  it("timeoutMs bounds only the wait for headers: a slow stream still completes", async () => {
    upstream.handle((_request, response) => {
      openStream(response);
      response.write(TEXT_STREAM.subarray(0, 100));
      setTimeout(() => response.end(TEXT_STREAM.subarray(100)), 300);
    });
    const received = await collect((await adapter.stream(REQUEST, { timeoutMs: 150 })).events);
    expect(text(received)).toBe("Hello, héllo 日本 🚀!");
  });
});
