import { describe, expect, it } from "vitest";
import type { SseEvent } from "../../http/sse-events.js";
import { classifyOpenAIError } from "./classify-openai-error.js";
import { convertOpenAIUsage } from "./convert-openai-usage.js";
import { mapOpenAIFinishReason } from "./map-openai-finish-reason.js";
import { openaiStreamEvents } from "./openai-stream-events.js";
import { parseOpenAIResponse } from "./parse-openai-response.js";
import { toOpenAIRequest } from "./to-openai-request.js";

async function* sse(...chunks: unknown[]): AsyncGenerator<SseEvent> {
  for (const chunk of chunks) yield { data: typeof chunk === "string" ? chunk : JSON.stringify(chunk) };
}

describe("OpenAI quirks of compatible servers", () => {
  const request = {
    model: "m",
    messages: [
      { role: "user" as const, content: "hi", name: "ann" },
      { role: "assistant" as const, content: "yo", name: "bot" },
    ],
    user: "end-user-1",
  };

  it("without quirks, sends names, user and stream_options as before", () => {
    const body = JSON.parse(JSON.stringify(toOpenAIRequest(request, { provider: "p", stream: true })));
    expect(body.messages[0]).toEqual({ role: "user", content: "hi", name: "ann" });
    expect(body.user).toBe("end-user-1");
    expect(body.stream_options).toEqual({ include_usage: true });
  });

  it("drops message names, refused fields and stream_options when told to", () => {
    const quirks = { omitMessageNames: true, omitFields: ["user"], includeStreamUsage: false };
    const body = JSON.parse(JSON.stringify(toOpenAIRequest(request, { provider: "p", stream: true, quirks })));
    expect(body).toEqual({
      model: "m",
      messages: [
        { role: "user", content: "hi" },
        { role: "assistant", content: "yo" },
      ],
      stream: true,
    });
  });

  it("still sends what providerOptions asks for explicitly", () => {
    const quirks = { omitFields: ["user"], includeStreamUsage: false };
    const body = toOpenAIRequest(
      { ...request, providerOptions: { p: { user: "explicit", stream_options: { include_usage: true } } } },
      { provider: "p", stream: true, quirks },
    );
    expect(body.user).toBe("explicit");
    expect(body.stream_options).toEqual({ include_usage: true });
  });

  it("maps extra finish reasons over the built-in table, and never finds prototype keys", () => {
    expect(mapOpenAIFinishReason("abort", { abort: "error" })).toEqual({ unified: "error", raw: "abort" });
    expect(mapOpenAIFinishReason("abort")).toEqual({ unified: "stop", raw: "abort" });
    expect(mapOpenAIFinishReason("length", { abort: "error" })).toEqual({ unified: "length", raw: "length" });
    expect(mapOpenAIFinishReason("constructor")).toEqual({ unified: "stop", raw: "constructor" });
  });

  it("reads cache hits from a named usage field only when prompt_tokens_details has none", () => {
    const deepseek = { prompt_tokens: 100, completion_tokens: 5, prompt_cache_hit_tokens: 64, prompt_cache_miss_tokens: 36 };
    expect(convertOpenAIUsage(deepseek).cachedInputTokens).toBe(0);
    expect(convertOpenAIUsage(deepseek, { cachedTokensField: "prompt_cache_hit_tokens" }).cachedInputTokens).toBe(64);
    const both = { ...deepseek, prompt_tokens_details: { cached_tokens: 60 } };
    expect(convertOpenAIUsage(both, { cachedTokensField: "prompt_cache_hit_tokens" }).cachedInputTokens).toBe(60);
  });

  it("passes quirks to the non-streamed parser", () => {
    const response = parseOpenAIResponse(
      { id: "x", choices: [{ message: { content: "ok" }, finish_reason: "abort" }], usage: { prompt_tokens: 9, prompt_cache_hit_tokens: 4 } },
      { provider: "p", model: "m", quirks: { finishReasons: { abort: "error" }, cachedTokensField: "prompt_cache_hit_tokens" } },
    );
    expect(response.finish).toEqual({ unified: "error", raw: "abort" });
    expect(response.usage.cachedInputTokens).toBe(4);
  });

  it("reads stream usage from a named chunk member when there is no top-level usage", async () => {
    const events = [];
    const chunks = sse(
      { id: "c", choices: [{ index: 0, delta: { content: "hi" }, finish_reason: null }] },
      { id: "c", choices: [{ index: 0, delta: {}, finish_reason: "stop" }], x_groq: { id: "req_1", usage: { prompt_tokens: 38, completion_tokens: 4 } } },
      "[DONE]",
    );
    for await (const event of openaiStreamEvents(chunks, { provider: "p", model: "m", quirks: { streamUsageField: "x_groq" } })) {
      events.push(event);
    }
    expect(events.at(-1)).toMatchObject({ type: "finish", usage: { inputTokens: 38, outputTokens: 4 } });
  });

  it("classifies OpenRouter-style errors: numeric codes in streams, 402 credits, 403 moderation", () => {
    const inStream = (code: unknown) => classifyOpenAIError({ provider: "p", body: { error: { code, message: "boom" } } }).kind;
    expect(inStream(429)).toBe("rate_limit");
    expect(inStream(502)).toBe("server");
    expect(inStream(503)).toBe("overloaded");
    expect(inStream("server_error")).toBe("server");
    expect(classifyOpenAIError({ provider: "p", status: 402, bodyText: '{"error":{"code":402,"message":"Insufficient credits"}}' }).kind).toBe(
      "quota",
    );
    const flagged = '{"error":{"code":403,"message":"openai/gpt-4o requires moderation on OpenRouter. Your input was flagged for \\"harassment\\"","metadata":{"reasons":["harassment"]}}}';
    expect(classifyOpenAIError({ provider: "p", status: 403, bodyText: flagged }).kind).toBe("content_policy");
    expect(classifyOpenAIError({ provider: "p", body: JSON.parse(flagged) }).kind).toBe("content_policy");
    expect(classifyOpenAIError({ provider: "p", status: 403, bodyText: '{"error":{"message":"Country, region, or territory not supported"}}' }).kind).toBe(
      "auth",
    );
  });

  it("classifies llama.cpp's context-size error as a context-window error", () => {
    const body = '{"error":{"code":400,"message":"the request exceeds the available context size, try increasing it","type":"exceed_context_size_error","n_prompt_tokens":5000,"n_ctx":4096}}';
    expect(classifyOpenAIError({ provider: "p", status: 400, bodyText: body }).kind).toBe("context_window");
  });
});
