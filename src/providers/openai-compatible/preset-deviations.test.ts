import type { ServerResponse } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ChatRequest } from "../../core/index.js";
import { startFakeUpstream, writeInChunks, type FakeUpstream } from "../http/testing/start-fake-upstream.js";
import type { ProviderAdapter } from "../spec.js";
import { createOpenAICompatibleAdapter } from "./create-openai-compatible-adapter.js";
import { OPENAI_COMPATIBLE_PRESETS, type OpenAICompatiblePresetName } from "./presets.js";
import { assembleToolCalls, collectEvents, eventsUntilFailure, providerFailure, textOf } from "../http/testing/adapter-test-helpers.js";

/** `data:` events from chunk objects; strings go on the wire as they are (comments, `[DONE]`). */
const sse = (...items: unknown[]): Buffer =>
  Buffer.from(
    items
      .map((item) => (item === "[DONE]" ? "data: [DONE]\n\n" : typeof item === "string" ? `${item}\n\n` : `data: ${JSON.stringify(item)}\n\n`))
      .join(""),
  );

const chunk = (delta: Record<string, unknown>, finishReason: string | null = null, extra: Record<string, unknown> = {}) => ({
  id: "chatcmpl-1",
  object: "chat.completion.chunk",
  created: 1_750_000_000,
  model: "served-model",
  choices: [{ index: 0, delta, finish_reason: finishReason }],
  ...extra,
});

const REQUEST: ChatRequest = {
  model: "served-model",
  messages: [
    { role: "system", content: "Be brief.", name: "policy" },
    { role: "user", content: "Hi", name: "ann" },
  ],
  user: "end-user-7",
  maxTokens: 30,
};

let upstream: FakeUpstream;
const adapters: ProviderAdapter[] = [];

const adapterFor = (preset: OpenAICompatiblePresetName): ProviderAdapter => {
  const path = new URL(OPENAI_COMPATIBLE_PRESETS[preset].baseUrl).pathname.replace(/\/+$/, "");
  const adapter = createOpenAICompatibleAdapter({ provider: "openai-compatible", baseUrl: `${upstream.url}${path}`, apiKey: "k", extra: { preset } });
  adapters.push(adapter);
  return adapter;
};

const replayStream = (bytes: Buffer, chunkSize = 13) =>
  upstream.handle((_request, response) => {
    response.writeHead(200, { "content-type": "text/event-stream" });
    writeInChunks(response, bytes, chunkSize);
    response.end();
  });

const replayJson = (status: number, body: string, headers: Record<string, string> = {}) =>
  upstream.handle((_request, response: ServerResponse) => {
    response.writeHead(status, { "content-type": "application/json", ...headers }).end(body);
  });

const sentBody = (index = 0): Record<string, unknown> => JSON.parse(upstream.requests[index]?.body ?? "") as Record<string, unknown>;

const streamWithError = (adapter: ProviderAdapter) => eventsUntilFailure(adapter, REQUEST);

beforeAll(async () => {
  upstream = await startFakeUpstream();
});
afterAll(async () => {
  for (const adapter of adapters) await adapter.close?.();
  await upstream.close();
});
afterEach(() => {
  upstream.requests.length = 0;
});

describe("mistral", () => {
  it("sends no stream_options, no user, no message names, and max_tokens", async () => {
    replayStream(sse(chunk({ role: "assistant", content: "Hello" }), chunk({}, "stop", { usage: { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 } }), "[DONE]"));
    const events = await collectEvents((await adapterFor("mistral").stream(REQUEST)).events);
    expect(sentBody()).toEqual({
      model: "served-model",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi" },
      ],
      max_tokens: 30,
      stream: true,
    });
    // Usage comes on the finish chunk, unasked.
    expect(events.at(-1)).toMatchObject({ type: "finish", finish: { unified: "stop" }, usage: { inputTokens: 10, outputTokens: 2 } });
  });

  it("maps model_length to length and error to error", async () => {
    const mistral = adapterFor("mistral");
    for (const [raw, unified] of [["model_length", "length"], ["error", "error"]] as const) {
      replayStream(sse(chunk({ content: "Hel" }), chunk({}, raw), "[DONE]"));
      const events = await collectEvents((await mistral.stream(REQUEST)).events);
      expect(events.at(-1)).toMatchObject({ type: "finish", finish: { unified, raw } });
    }
  });

  it("classifies its 422 extra_forbidden body as a bad request", async () => {
    replayJson(
      422,
      '{"object":"error","message":{"detail":[{"type":"extra_forbidden","loc":["body","stream_options"],"msg":"Extra inputs are not permitted","input":{"include_usage":true}}]},"type":"invalid_request_error","param":null,"code":null}',
    );
    const error = await providerFailure(adapterFor("mistral").chat(REQUEST));
    expect(error.kind).toBe("bad_request");
    expect(error.retryable).toBe(false);
    expect(error.message).toContain("Extra inputs are not permitted");
  });
});

describe("groq", () => {
  it("drops message names but keeps user, and reads the stream usage from x_groq", async () => {
    replayStream(
      sse(
        chunk({ role: "assistant", content: "" }, null, { x_groq: { id: "req_01k88s37gy" } }),
        chunk({ content: "Hi there" }),
        chunk({}, "stop", { x_groq: { id: "req_01k88s37gy", usage: { queue_time: 0.09, prompt_tokens: 38, prompt_time: 0.003, completion_tokens: 4, completion_time: 0.02, total_tokens: 42 } } }),
        "[DONE]",
      ),
    );
    const events = await collectEvents((await adapterFor("groq").stream(REQUEST)).events);
    const body = sentBody();
    expect(body.messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "Hi" },
    ]);
    expect(body.user).toBe("end-user-7");
    expect(body.stream_options).toEqual({ include_usage: true });
    expect(textOf(events)).toBe("Hi there");
    expect(events.at(-1)).toMatchObject({ type: "finish", usage: { inputTokens: 38, outputTokens: 4 } });
  });
});

describe("together", () => {
  it("maps eos to stop, keeping the raw value", async () => {
    replayJson(200, JSON.stringify({ id: "t1", model: "meta-llama/Llama-3-8b-chat-hf", choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "eos" }] }));
    const { response } = await adapterFor("together").chat(REQUEST);
    expect(response.finish).toEqual({ unified: "stop", raw: "eos" });
  });
});

describe("deepseek", () => {
  it("ignores keep-alive comments and reasoning_content, and counts prompt_cache_hit_tokens as cached", async () => {
    const keepAlive = OPENAI_COMPATIBLE_PRESETS.deepseek.quirks.keepAliveComment;
    replayStream(
      sse(
        keepAlive,
        keepAlive,
        chunk({ role: "assistant", content: null, reasoning_content: "" }),
        chunk({ content: null, reasoning_content: "Let me think… 日本" }),
        keepAlive,
        chunk({ content: "Answer: 日本" }),
        chunk({}, "stop", {
          usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120, prompt_cache_hit_tokens: 64, prompt_cache_miss_tokens: 36, completion_tokens_details: { reasoning_tokens: 12 } },
        }),
        "[DONE]",
      ),
      5,
    );
    const events = await collectEvents((await adapterFor("deepseek").stream(REQUEST)).events);
    expect(textOf(events)).toBe("Answer: 日本");
    expect(events.at(-1)).toMatchObject({
      type: "finish",
      usage: { inputTokens: 100, cachedInputTokens: 64, cacheWriteTokens: 0, outputTokens: 20, reasoningTokens: 12 },
    });
  });

  it("reads a non-streamed body preceded by keep-alive blank lines", async () => {
    const body = JSON.stringify({
      id: "d1",
      model: "deepseek-chat",
      choices: [{ index: 0, message: { role: "assistant", content: "Hi" }, finish_reason: "insufficient_system_resource" }],
      usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6, prompt_cache_hit_tokens: 0, prompt_cache_miss_tokens: 5 },
    });
    replayJson(200, `\n\n\n${body}`);
    const { response } = await adapterFor("deepseek").chat(REQUEST);
    expect(response.message.content).toBe("Hi");
    expect(response.finish).toEqual({ unified: "error", raw: "insufficient_system_resource" });
  });
});

describe("xai", () => {
  it("does not mistake reasoning_content for the answer", async () => {
    replayStream(
      sse(
        chunk({ role: "assistant", reasoning_content: "First," }),
        chunk({ reasoning_content: " the user" }),
        chunk({ content: "Olá!" }),
        chunk({}, "stop"),
        { id: "chatcmpl-1", choices: [], usage: { prompt_tokens: 9, completion_tokens: 30, total_tokens: 39, completion_tokens_details: { reasoning_tokens: 27 } } },
        "[DONE]",
      ),
    );
    const events = await collectEvents((await adapterFor("xai").stream(REQUEST)).events);
    expect(textOf(events)).toBe("Olá!");
    expect(events.at(-1)).toMatchObject({ type: "finish", usage: { outputTokens: 30, reasoningTokens: 27 } });
  });
});

describe("fireworks", () => {
  it("reads usage from the final chunk", async () => {
    replayStream(
      sse(
        chunk({ role: "assistant", content: "Hi" }),
        chunk({}, "stop", { usage: { prompt_tokens: 7, completion_tokens: 1, total_tokens: 8 } }),
        "[DONE]",
      ),
    );
    const events = await collectEvents((await adapterFor("fireworks").stream({ ...REQUEST, model: "accounts/fireworks/models/llama-v3p1-8b-instruct" })).events);
    expect(sentBody().model).toBe("accounts/fireworks/models/llama-v3p1-8b-instruct");
    expect(events.at(-1)).toMatchObject({ type: "finish", usage: { inputTokens: 7, outputTokens: 1 } });
  });
});

describe("openrouter", () => {
  it("ignores its processing comments, reads its reasoning, and throws a mid-stream error classified by its code", async () => {
    const processing = OPENAI_COMPATIBLE_PRESETS.openrouter.quirks.keepAliveComment;
    replayStream(
      sse(
        processing,
        chunk({ role: "assistant", content: "", reasoning: "hmm" }),
        processing,
        chunk({ content: "Partial" }),
        {
          id: "gen-1",
          object: "chat.completion.chunk",
          created: 1_750_000_000,
          model: "openai/gpt-4o",
          provider: "OpenAI",
          error: { code: 502, message: "Provider disconnected unexpectedly" },
          choices: [{ index: 0, delta: { content: "" }, finish_reason: "error" }],
        },
        "[DONE]",
      ),
    );
    const { received, error } = await streamWithError(adapterFor("openrouter"));
    expect(received).toEqual([
      { type: "reasoning-delta", text: "hmm" },
      { type: "text-delta", text: "Partial" },
    ]);
    expect(error.kind).toBe("server");
    expect(error.retryable).toBe(true);
    expect(error.message).toBe("Provider disconnected unexpectedly");
  });

  it("classifies a mid-stream 429 as a rate limit", async () => {
    replayStream(sse(chunk({ content: "x" }), { id: "gen-2", error: { code: 429, message: "Rate limit exceeded" }, choices: [{ index: 0, delta: { content: "" }, finish_reason: "error" }] }, "[DONE]"));
    const { error } = await streamWithError(adapterFor("openrouter"));
    expect(error.kind).toBe("rate_limit");
  });

  it.each<[number, string, string]>([
    [402, '{"error":{"code":402,"message":"Insufficient credits. Add more using https://openrouter.ai/credits"}}', "quota"],
    [403, '{"error":{"code":403,"message":"openai/gpt-4o requires moderation on OpenRouter. Your input was flagged for \\"harassment\\"","metadata":{"reasons":["harassment"],"flagged_input":"…","provider_name":"OpenAI","model_slug":"openai/gpt-4o"}}}', "content_policy"],
    [408, '{"error":{"code":408,"message":"Request timed out"}}', "timeout"],
    [429, '{"error":{"code":429,"message":"Rate limit exceeded: free-models-per-min"}}', "rate_limit"],
    [502, '{"error":{"code":502,"message":"openai/gpt-4o is temporarily unavailable"}}', "server"],
    [503, '{"error":{"code":503,"message":"No allowed providers are available for the selected model."}}', "overloaded"],
  ])("HTTP %d is %s", async (status, body, kind) => {
    replayJson(status, body, status === 429 || status === 503 ? { "retry-after": "4" } : {});
    const error = await providerFailure(adapterFor("openrouter").chat(REQUEST));
    expect(error.kind).toBe(kind);
    expect(error.status).toBe(status);
    if (status === 429 || status === 503) expect(error.retryAfterMs).toBe(4000);
  });
});

describe("vllm", () => {
  it("maps abort to error", async () => {
    replayStream(sse(chunk({ content: "Hel" }), chunk({}, "abort"), "[DONE]"));
    const events = await collectEvents((await adapterFor("vllm").stream(REQUEST)).events);
    expect(events.at(-1)).toMatchObject({ type: "finish", finish: { unified: "error", raw: "abort" } });
  });

  it("classifies its flat and nested error bodies with integer codes", async () => {
    replayJson(400, '{"object":"error","message":"This model\'s maximum context length is 8192 tokens. However, you requested 8203 tokens (8103 in the messages, 100 in the completion).","type":"BadRequestError","param":null,"code":400}');
    expect((await providerFailure(adapterFor("vllm").chat(REQUEST))).kind).toBe("context_window");
    replayStream(sse(chunk({ content: "Hel" }), { error: { message: "CUDA out of memory", type: "InternalServerError", param: null, code: 500 } }));
    expect((await streamWithError(adapterFor("vllm"))).error.kind).toBe("server");
  });
});

describe("llamacpp", () => {
  it("ignores the timings object and reads usage from the final chunk", async () => {
    replayStream(
      sse(
        chunk({ role: "assistant", content: "Hi" }),
        chunk({}, "stop", { usage: { prompt_tokens: 11, completion_tokens: 1, total_tokens: 12 }, timings: { prompt_n: 11, predicted_n: 1, predicted_per_second: 52.1 } }),
        "[DONE]",
      ),
    );
    const events = await collectEvents((await adapterFor("llamacpp").stream(REQUEST)).events);
    expect(events.at(-1)).toMatchObject({ type: "finish", usage: { inputTokens: 11, outputTokens: 1 } });
  });

  it.each<[number, string, string]>([
    [400, '{"error":{"code":400,"message":"the request exceeds the available context size, try increasing it","type":"exceed_context_size_error","n_prompt_tokens":5000,"n_ctx":4096}}', "context_window"],
    [401, '{"error":{"code":401,"message":"Invalid API Key","type":"authentication_error"}}', "auth"],
    [503, '{"error":{"code":503,"message":"Loading model","type":"unavailable_error"}}', "overloaded"],
  ])("HTTP %d is %s", async (status, body, kind) => {
    replayJson(status, body);
    expect((await providerFailure(adapterFor("llamacpp").chat(REQUEST))).kind).toBe(kind);
  });
});

describe("lmstudio", () => {
  it("reads the string error shape", async () => {
    replayJson(404, '{"error":"Model \\"qwen\\" not found. Please load it first."}');
    const error = await providerFailure(adapterFor("lmstudio").chat(REQUEST));
    expect(error.kind).toBe("not_found");
    expect(error.message).toContain("not found");
  });
});

describe("ollama-openai", () => {
  it("reads a tool call emitted whole in one chunk", async () => {
    replayStream(
      sse(
        chunk({ role: "assistant", content: "", tool_calls: [{ id: "call_t9yq", index: 0, type: "function", function: { name: "get_weather", arguments: '{"city":"Tokyo"}' } }] }),
        chunk({ role: "assistant", content: "" }, "tool_calls"),
        { id: "chatcmpl-1", object: "chat.completion.chunk", model: "llama3.2", system_fingerprint: "fp_ollama", choices: [], usage: { prompt_tokens: 80, completion_tokens: 18, total_tokens: 98 } },
        "[DONE]",
      ),
      3,
    );
    const events = await collectEvents((await adapterFor("ollama-openai").stream(REQUEST)).events);
    expect(assembleToolCalls(events)).toEqual([{ index: 0, id: "call_t9yq", name: "get_weather", arguments: '{"city":"Tokyo"}' }]);
    expect(events.at(-1)).toMatchObject({ type: "finish", finish: { unified: "tool_calls" }, usage: { inputTokens: 80, outputTokens: 18 } });
    expect(upstream.requests[0]?.path).toBe("/v1/chat/completions");
  });

  it("reads its nested not_found_error", async () => {
    replayJson(404, '{"error":{"message":"model \\"llama9\\" not found, try pulling it first","type":"not_found_error","param":null,"code":null}}');
    expect((await providerFailure(adapterFor("ollama-openai").chat(REQUEST))).kind).toBe("not_found");
  });
});
