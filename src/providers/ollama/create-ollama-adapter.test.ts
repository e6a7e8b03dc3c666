import { readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ChatRequest } from "../../core/index.js";
import { startFakeUpstream, writeInChunks, type FakeUpstream } from "../http/testing/start-fake-upstream.js";
import { assembleToolCalls, collectEvents, eventsUntilFailure, providerFailure, textOf } from "../http/testing/adapter-test-helpers.js";
import type { ProviderAdapter } from "../spec.js";
import { createOllamaAdapter, OLLAMA_DEFAULT_BASE_URL } from "./create-ollama-adapter.js";
import { startFakeOllamaServer } from "./testing/fake-ollama-server.js";
import { expectAbortMidStream, expectBreakClosesSocket, expectSocketBackInPool } from "../http/testing/stream-transport-checks.js";

const fixture = (name: string): Buffer => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

const sendJson = (response: ServerResponse, status: number, body: Buffer, headers: Record<string, string> = {}) => {
  response.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers }).end(body);
};
const openStream = (response: ServerResponse) => response.writeHead(200, { "content-type": "application/x-ndjson" });

const REQUEST: ChatRequest = {
  model: "llama3.2",
  messages: [
    { role: "system", content: "Be brief." },
    { role: "user", content: "Weather in Tokyo?" },
    { role: "assistant", content: null, toolCalls: [{ id: "call_0", name: "get_weather", arguments: '{"city":"Tokyo"}' }] },
    { role: "tool", toolCallId: "call_0", content: '{"temp_c":21}' },
  ],
  tools: [{ name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } }],
  maxTokens: 100,
  temperature: 0,
};

let upstream: FakeUpstream;
let adapter: ProviderAdapter;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  adapter = createOllamaAdapter({ provider: "ollama", baseUrl: `${upstream.url}/`, extra: {} });
});
afterAll(async () => {
  await adapter.close?.();
  await upstream.close();
});
afterEach(() => {
  upstream.requests.length = 0;
});

describe("createOllamaAdapter — chat()", () => {
  it("posts the native request to /api/chat without auth and reads the answer with usage", async () => {
    upstream.handle((_request, response) => sendJson(response, 200, fixture("chat.json")));
    const result = await adapter.chat(REQUEST);
    const sent = upstream.requests[0];
    expect(sent?.method).toBe("POST");
    expect(sent?.path).toBe("/api/chat");
    expect(sent?.headers.authorization).toBeUndefined();
    expect(sent?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(sent?.body ?? "")).toEqual({
      model: "llama3.2",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Weather in Tokyo?" },
        { role: "assistant", content: "", tool_calls: [{ function: { name: "get_weather", arguments: { city: "Tokyo" } } }] },
        { role: "tool", content: '{"temp_c":21}', tool_name: "get_weather" },
      ],
      tools: [{ type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } } }],
      options: { temperature: 0, num_predict: 100 },
      stream: false,
    });
    expect(result).toEqual({
      response: {
        id: "",
        model: "llama3.2",
        message: { role: "assistant", content: "The sky is blue because of Rayleigh scattering.", toolCalls: [] },
        finish: { unified: "stop", raw: "stop" },
        usage: { inputTokens: 26, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 282, reasoningTokens: 0 },
      },
    });
  });

  it("returns whole tool calls with made-up ids where Ollama sends none, finishing as tool_calls", async () => {
    upstream.handle((_request, response) => sendJson(response, 200, fixture("chat-tool-calls.json")));
    const { response } = await adapter.chat(REQUEST);
    expect(response.message).toEqual({
      role: "assistant",
      content: null,
      toolCalls: [
        { id: "call_0", name: "get_weather", arguments: '{"city":"Tokyo"}' },
        { id: "call_k3x9", name: "get_time", arguments: '{"tz":"Asia/Tokyo"}' },
      ],
    });
    expect(response.finish).toEqual({ unified: "tool_calls", raw: "stop" });
    expect(response.usage).toMatchObject({ inputTokens: 88, outputTokens: 40 });
  });

  it("sends an api key as a bearer token, and defaults the base URL", async () => {
    expect(OLLAMA_DEFAULT_BASE_URL).toBe("http://localhost:11434");
    const keyed = createOllamaAdapter({ provider: "ollama", baseUrl: upstream.url, apiKey: "ok-1", extra: { headers: { "X-Team": "a" } } });
    upstream.handle((_request, response) => sendJson(response, 200, fixture("chat.json")));
    await keyed.chat({ model: "m", messages: [{ role: "user", content: "hi" }] });
    await keyed.close?.();
    expect(upstream.requests[0]?.headers.authorization).toBe("Bearer ok-1");
    expect(upstream.requests[0]?.headers["x-team"]).toBe("a");
  });

  it("rejects a history Ollama cannot take before sending anything", async () => {
    const error = await providerFailure(
      adapter.chat({ model: "m", messages: [{ role: "assistant", content: null, toolCalls: [{ id: "c", name: "f", arguments: "{oops" }] }] }),
    );
    expect(error.kind).toBe("bad_request");
    expect(upstream.requests).toHaveLength(0);
  });

  it("calls a 200 body that is not JSON, or not a chat answer, an invalid response", async () => {
    upstream.handle((_request, response) => sendJson(response, 200, Buffer.from("<html>proxy</html>")));
    expect((await providerFailure(adapter.chat(REQUEST))).kind).toBe("invalid_response");
    upstream.handle((_request, response) => sendJson(response, 200, Buffer.from('{"model":"m","done":true}')));
    expect((await providerFailure(adapter.chat(REQUEST))).kind).toBe("invalid_response");
  });
});

describe("createOllamaAdapter — errors", () => {
  it.each<[number, string, string, boolean, string]>([
    [400, "error-400.json", "bad_request", false, "invalid options"],
    [404, "error-404-model-not-found.json", "not_found", false, 'model "llama3" not found'],
    [429, "error-429.json", "rate_limit", true, "too many requests"],
    [500, "error-500.json", "server", true, "llama runner process has terminated"],
    [502, "error-502.json", "server", true, "unexpected EOF"],
    [503, "error-503.json", "overloaded", true, "server busy"],
  ])("HTTP %d (%s) rejects chat() and stream() as %s", async (status, name, kind, retryable, message) => {
    upstream.handle((_request, response) => sendJson(response, status, fixture(name), status === 429 ? { "retry-after": "3" } : {}));
    for (const call of [adapter.chat(REQUEST), adapter.stream(REQUEST)]) {
      const error = await providerFailure(call);
      expect(error.kind).toBe(kind);
      expect(error.status).toBe(status);
      expect(error.retryable).toBe(retryable);
      expect(error.provider).toBe("ollama");
      expect(error.message).toContain(message);
      if (status === 429) expect(error.retryAfterMs).toBe(3000);
    }
  });

  it("keeps a snippet of a body that is not JSON", async () => {
    upstream.handle((_request, response) => {
      response.writeHead(502, { "content-type": "text/html" }).end("<h1>Bad Gateway</h1>");
    });
    const error = await providerFailure(adapter.chat(REQUEST));
    expect(error.kind).toBe("server");
    expect(error.message).toBe("HTTP 502: <h1>Bad Gateway</h1>");
  });
});

describe("createOllamaAdapter — stream()", () => {
  it("replays an NDJSON text stream split at any byte: text, then one finish with usage", async () => {
    for (const size of [1, 7, 100]) {
      upstream.handle((_request, response) => {
        openStream(response);
        writeInChunks(response, fixture("stream-text.ndjson"), size);
        response.end();
      });
      const events = await collectEvents((await adapter.stream(REQUEST)).events);
      expect(textOf(events)).toBe("The sky héllo 日本 🚀 is blue.");
      expect(events.filter((event) => event.type === "finish")).toHaveLength(1);
      expect(events.at(-1)).toEqual({
        type: "finish",
        finish: { unified: "stop", raw: "stop" },
        usage: { inputTokens: 26, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 282, reasoningTokens: 0 },
        model: "llama3.2",
        id: "",
      });
    }
    expect(JSON.parse(upstream.requests[0]?.body ?? "").stream).toBe(true);
  });

  it("emits each whole tool call as one delta with index, id and name, and finishes as tool_calls", async () => {
    upstream.handle((_request, response) => {
      openStream(response);
      writeInChunks(response, fixture("stream-tool-calls.ndjson"), 9);
      response.end();
    });
    const events = await collectEvents((await adapter.stream(REQUEST)).events);
    expect(events.filter((event) => event.type === "tool-call-delta")).toEqual([
      { type: "tool-call-delta", index: 0, id: "call_0", name: "get_weather", argumentsDelta: '{"city":"Zürich"}' },
      { type: "tool-call-delta", index: 1, id: "call_1", name: "get_time", argumentsDelta: '{"tz":"Europe/Zurich"}' },
    ]);
    expect(assembleToolCalls(events)).toHaveLength(2);
    expect(events.at(-1)).toMatchObject({ type: "finish", finish: { unified: "tool_calls", raw: "stop" }, usage: { inputTokens: 120, outputTokens: 31 } });
  });

  it("maps done_reason length", async () => {
    upstream.handle((_request, response) => {
      openStream(response);
      response.end(fixture("stream-length.ndjson"));
    });
    const events = await collectEvents((await adapter.stream(REQUEST)).events);
    expect(events.at(-1)).toMatchObject({ type: "finish", finish: { unified: "length", raw: "length" } });
  });

  it("throws an error line, classified: a missing model is not_found, anything else a server error", async () => {
    const first = fixture("stream-text.ndjson").toString("utf8").split("\n")[0];
    for (const [line, kind] of [
      ['{"error":"an error was encountered while running the model: CUDA error"}', "server"],
      ['{"error":"model \\"llama9\\" not found, try pulling it first"}', "not_found"],
    ] as const) {
      upstream.handle((_request, response) => {
        openStream(response);
        response.end(`${first}\n${line}\n`);
      });
      const { received, error } = await eventsUntilFailure(adapter, REQUEST);
      expect(received).toEqual([{ type: "text-delta", text: "The" }]);
      expect(error.kind).toBe(kind);
      expect(error.status).toBeUndefined();
    }
  });

  it("treats a stream that ends without its done line as truncated", async () => {
    upstream.handle((_request, response) => {
      openStream(response);
      const text = fixture("stream-text.ndjson").toString("utf8");
      response.end(text.slice(0, text.lastIndexOf('{"model"')));
    });
    const error = await providerFailure(collectEvents((await adapter.stream(REQUEST)).events));
    expect(error.kind).toBe("connection");
    expect(error.message).toBe("stream ended before completion");
  });

  it("throws invalid_response on a garbage line and closes the connection", async () => {
    upstream.handle((_request, response) => {
      openStream(response);
      response.write('{"model":"m","message":{"role":"assistant","content":"ok"},"done":false}\n');
      response.write("<<garbage>>\n");
      // Left open: the adapter must give up on its own and close the socket.
    });
    const error = await providerFailure(collectEvents((await adapter.stream(REQUEST)).events));
    expect(error.kind).toBe("invalid_response");
    expect(error.message).toContain("<<garbage>>");
    await upstream.requests[0]?.socketClosed;
  });

  it("throws, rather than hangs, when the socket is destroyed mid-stream", async () => {
    upstream.handle((_request, response) => {
      openStream(response);
      response.write(fixture("stream-text.ndjson").subarray(0, 150));
      setTimeout(() => response.socket?.destroy(), 10);
    });
    const error = await providerFailure(collectEvents((await adapter.stream(REQUEST)).events));
    expect(error.kind).toBe("connection");
  });

  it("aborting the signal mid-stream aborts the upstream request", async () => {
    upstream.handle((_request, response) => {
      openStream(response);
      response.write('{"model":"m","message":{"role":"assistant","content":"Hel"},"done":false}\n');
    });
    await expectAbortMidStream(adapter, REQUEST, upstream, { type: "text-delta", text: "Hel" });
  });

  it("breaking out of the loop closes the upstream socket", async () => {
    upstream.handle((_request, response) => {
      openStream(response);
      response.write('{"model":"m","message":{"role":"assistant","content":"Hel"},"done":false}\n');
    });
    await expectBreakClosesSocket(adapter, REQUEST, upstream, { type: "text-delta", text: "Hel" });
  });

  it("returns the socket to the pool after a complete stream", async () => {
    upstream.handle((_request, response) => {
      openStream(response);
      response.end(fixture("stream-text.ndjson"));
    });
    await expectSocketBackInPool((httpClient) => createOllamaAdapter({ provider: "ollama", baseUrl: `${upstream.url}/`, extra: {}, httpClient }), REQUEST, upstream);
  });
});

describe("startFakeOllamaServer", () => {
  it("serves text, a stream, a tool call and an answer to its result", async () => {
    const fake = await startFakeOllamaServer();
    const ollama = createOllamaAdapter({ provider: "ollama", baseUrl: fake.baseUrl, extra: {} });
    try {
      const plain = await ollama.chat({ model: "llama3.2", messages: [{ role: "user", content: "hi" }] });
      expect(plain.response.message.content).toBe("Hello! How can I help?");
      expect(plain.response.usage).toMatchObject({ inputTokens: 12, outputTokens: 7 });
      const streamed = await collectEvents((await ollama.stream({ model: "llama3.2", messages: [{ role: "user", content: "hi" }] })).events);
      expect(textOf(streamed)).toBe("Hello! How can I help?");
      expect(streamed.at(-1)).toMatchObject({ type: "finish", usage: { inputTokens: 12, outputTokens: 7 } });

      const tools = [{ name: "get_weather", parameters: { type: "object" } }];
      const streamedCall = await collectEvents(
        (await ollama.stream({ model: "llama3.2", messages: [{ role: "user", content: "weather?" }], tools })).events,
      );
      expect(assembleToolCalls(streamedCall)).toEqual([{ index: 0, id: "call_0", name: "get_weather", arguments: '{"location":"Paris"}' }]);
      const call = await ollama.chat({ model: "llama3.2", messages: [{ role: "user", content: "weather?" }], tools });
      expect(call.response.finish.unified).toBe("tool_calls");
      const after = await ollama.chat({
        model: "llama3.2",
        tools,
        messages: [
          { role: "user", content: "weather?" },
          { role: "assistant", content: null, toolCalls: call.response.message.toolCalls },
          { role: "tool", toolCallId: "call_0", content: "sunny" },
        ],
      });
      expect(after.response.message.content).toBe("The tool said: sunny");
      const lastBody = JSON.parse(fake.requests.at(-1)?.body ?? "");
      expect(lastBody.messages[2]).toEqual({ role: "tool", content: "sunny", tool_name: "get_weather" });
    } finally {
      await ollama.close?.();
      await fake.close();
    }
  });
});
