import { describe, expect, it } from "vitest";
import { ProviderError, type ChatEvent } from "../../../core/index.js";
import type { SseEvent } from "../../http/sse-events.js";
import { openaiStreamEvents } from "./openai-stream-events.js";

async function* sse(...data: Array<string | SseEvent>): AsyncGenerator<SseEvent> {
  for (const item of data) yield typeof item === "string" ? { data: item } : item;
}

const run = async (events: AsyncIterable<SseEvent>): Promise<{ events: ChatEvent[]; error?: ProviderError }> => {
  const out: ChatEvent[] = [];
  try {
    for await (const event of openaiStreamEvents(events, { provider: "openai", model: "asked-model" })) out.push(event);
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    return { events: out, error };
  }
  return { events: out };
};

const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ id: "chatcmpl-1", object: "chat.completion.chunk", model: "gpt-4o-mini", choices, ...extra });

describe("openaiStreamEvents", () => {
  it("finishes at the end of the bytes when a finish_reason was seen, even without [DONE]", async () => {
    const { events, error } = await run(
      sse(chunk([{ index: 0, delta: { content: "hi" }, finish_reason: null }]), chunk([{ index: 0, delta: {}, finish_reason: "length" }])),
    );
    expect(error).toBeUndefined();
    expect(events).toEqual([
      { type: "text-delta", text: "hi" },
      { type: "finish", finish: { unified: "length", raw: "length" }, usage: null, model: "gpt-4o-mini", id: "chatcmpl-1" },
    ]);
  });

  it("calls a stream that ends with neither [DONE] nor finish_reason truncated", async () => {
    const { events, error } = await run(sse(chunk([{ index: 0, delta: { content: "hi" }, finish_reason: null }])));
    expect(events).toEqual([{ type: "text-delta", text: "hi" }]);
    expect(error?.kind).toBe("connection");
    expect(error?.message).toBe("stream ended before completion");
  });

  it("reads every choice (n > 1): pieces of later choices carry their index, the finish each choice's reason", async () => {
    const { events } = await run(
      sse(
        chunk([{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }]),
        chunk([{ index: 1, delta: { role: "assistant", content: "" }, finish_reason: null }]),
        chunk([{ index: 0, delta: { content: "zero" }, finish_reason: null }]),
        chunk([{ index: 1, delta: { content: "one" }, finish_reason: null }]),
        chunk([{ index: 2, delta: { tool_calls: [{ index: 0, id: "call_2", type: "function", function: { name: "f", arguments: "{}" } }] }, finish_reason: null }]),
        chunk([{ index: 1, delta: {}, finish_reason: "length" }]),
        chunk([{ index: 0, delta: {}, finish_reason: "stop" }, { index: 2, delta: {}, finish_reason: "tool_calls" }]),
        chunk([], { usage: { prompt_tokens: 3, completion_tokens: 9, total_tokens: 12 } }),
        "[DONE]",
      ),
    );
    expect(events).toEqual([
      { type: "text-delta", text: "zero" },
      { type: "text-delta", text: "one", choice: 1 },
      { type: "tool-call-delta", index: 0, id: "call_2", name: "f", argumentsDelta: "{}", choice: 2 },
      {
        type: "finish",
        finish: { unified: "stop", raw: "stop" },
        choices: [
          { unified: "stop", raw: "stop" },
          { unified: "length", raw: "length" },
          { unified: "tool_calls", raw: "tool_calls" },
        ],
        usage: { inputTokens: 3, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 9, reasoningTokens: 0 },
        model: "gpt-4o-mini",
        id: "chatcmpl-1",
      },
    ]);
  });

  it("drops refusal pieces, and reads usage from a chunk without choices", async () => {
    const { events } = await run(
      sse(
        chunk([{ index: 0, delta: { role: "assistant", content: "", refusal: null }, finish_reason: null }]),
        chunk([{ index: 0, delta: { refusal: "I can't" }, finish_reason: null }]),
        chunk([{ index: 0, delta: {}, finish_reason: "content_filter" }]),
        chunk([], { usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } }),
        "[DONE]",
      ),
    );
    expect(events).toEqual([
      {
        type: "finish",
        finish: { unified: "content_filter", raw: "content_filter" },
        usage: { inputTokens: 3, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 2, reasoningTokens: 0 },
        model: "gpt-4o-mini",
        id: "chatcmpl-1",
      },
    ]);
  });

  it("treats an `event: error` as an error even with a non-JSON payload", async () => {
    const { error } = await run(sse({ event: "error", data: "upstream exploded" }));
    expect(error?.kind).toBe("server");
    expect(error?.message).toContain("upstream exploded");
  });

  it("reports the asked model when chunks name none", async () => {
    const { events } = await run(sse(JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: "stop" }] }), "[DONE]"));
    expect(events.at(-1)).toMatchObject({ type: "finish", model: "asked-model", id: "" });
  });

  it("streams reasoning_content (DeepSeek, vLLM) and reasoning (OpenRouter, Ollama) as reasoning deltas", async () => {
    const { events } = await run(
      sse(
        chunk([{ index: 0, delta: { reasoning_content: "think " }, finish_reason: null }]),
        chunk([{ index: 0, delta: { reasoning: "more" }, finish_reason: null }]),
        chunk([{ index: 0, delta: { content: "ok" }, finish_reason: "stop" }]),
        "[DONE]",
      ),
    );
    expect(events.slice(0, 3)).toEqual([
      { type: "reasoning-delta", text: "think " },
      { type: "reasoning-delta", text: "more" },
      { type: "text-delta", text: "ok" },
    ]);
  });
});
