import { describe, expect, it } from "vitest";
import { ProviderError, type ChatEvent } from "../../../core/index.js";
import { geminiStreamEvents } from "./gemini-stream-events.js";

async function* from(payloads: string[]): AsyncGenerator<string> {
  for (const payload of payloads) yield payload;
}

const context = { provider: "gemini", model: "gemini-asked" };

const run = async (payloads: string[]): Promise<ChatEvent[]> => {
  const events: ChatEvent[] = [];
  for await (const event of geminiStreamEvents(from(payloads), context)) events.push(event);
  return events;
};

const failure = async (payloads: string[]): Promise<{ error: ProviderError; events: ChatEvent[] }> => {
  const events: ChatEvent[] = [];
  try {
    for await (const event of geminiStreamEvents(from(payloads), context)) events.push(event);
  } catch (error) {
    if (error instanceof ProviderError) return { error, events };
    throw error;
  }
  throw new Error("expected a ProviderError");
};

const text = (value: string, extra: object = {}): string =>
  JSON.stringify({ candidates: [{ content: { parts: [{ text: value }], role: "model" }, ...extra }] });

describe("geminiStreamEvents", () => {
  it("ends a MAX_TOKENS stream with length and the last usage seen", async () => {
    const events = await run([
      text("a"),
      text("b", { finishReason: "MAX_TOKENS" }),
      JSON.stringify({ usageMetadata: { promptTokenCount: 4, candidatesTokenCount: 2 } }),
    ]);
    expect(events).toEqual([
      { type: "text-delta", text: "a" },
      { type: "text-delta", text: "b" },
      {
        type: "finish",
        finish: { unified: "length", raw: "MAX_TOKENS" },
        usage: { inputTokens: 4, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 2, reasoningTokens: 0 },
        model: "gemini-asked",
        id: "",
      },
    ]);
  });

  it("numbers function calls across chunks and finishes STOP as tool_calls", async () => {
    const call = (name: string, extra: object = {}) =>
      JSON.stringify({ candidates: [{ content: { parts: [{ functionCall: { name, args: { n: name } } }] }, ...extra }] });
    const events = await run([call("a"), call("b", { finishReason: "STOP" })]);
    expect(events.slice(0, 2)).toEqual([
      { type: "tool-call-delta", index: 0, id: "call_0", name: "a", argumentsDelta: '{"n":"a"}' },
      { type: "tool-call-delta", index: 1, id: "call_1", name: "b", argumentsDelta: '{"n":"b"}' },
    ]);
    expect(events[2]).toMatchObject({ type: "finish", finish: { unified: "tool_calls", raw: "STOP" }, usage: null });
  });

  it("finishes a prompt-blocked stream as content_filter", async () => {
    const events = await run([JSON.stringify({ promptFeedback: { blockReason: "PROHIBITED_CONTENT" } })]);
    expect(events).toEqual([
      { type: "finish", finish: { unified: "content_filter", raw: "PROHIBITED_CONTENT" }, usage: null, model: "gemini-asked", id: "" },
    ]);
  });

  it("throws an error chunk classified, after what came before", async () => {
    const { error, events } = await failure([
      text("Hel"),
      '{"error":{"code":429,"message":"Resource has been exhausted","status":"RESOURCE_EXHAUSTED"}}',
    ]);
    expect(events).toEqual([{ type: "text-delta", text: "Hel" }]);
    expect(error.kind).toBe("rate_limit");
    expect(error.code).toBe("RESOURCE_EXHAUSTED");
    expect(error.message).toBe("Resource has been exhausted");
  });

  it("throws invalid_response on garbage or a wrong shape, and connection on a truncated end", async () => {
    expect((await failure([text("a"), "garbage here"])).error.kind).toBe("invalid_response");
    expect((await failure(["[1,2]"])).error.kind).toBe("invalid_response");
    expect((await failure(['{"candidates":{"oops":1}}'])).error.kind).toBe("invalid_response");
    const truncated = await failure([text("a"), text("b")]);
    expect(truncated.error.kind).toBe("connection");
    expect(truncated.error.message).toBe("stream ended before completion");
    expect((await failure([])).error.kind).toBe("connection");
  });

  it("streams thought parts as reasoning deltas before the text", async () => {
    const events = await run([JSON.stringify({ candidates: [{ content: { parts: [{ text: "hmm", thought: true }, { text: "42" }], role: "model" }, finishReason: "STOP" }] })]);
    expect(events.slice(0, 2)).toEqual([
      { type: "reasoning-delta", text: "hmm" },
      { type: "text-delta", text: "42" },
    ]);
  });
});
