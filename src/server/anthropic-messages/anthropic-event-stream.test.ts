import { describe, expect, it } from "vitest";
import type { StreamChunk } from "../../gateway/completion-types.js";
import { createAnthropicEventStream } from "./anthropic-event-stream.js";
import { fromAnthropicRequest } from "./from-anthropic-request.js";
import { toAnthropicUsage } from "./to-anthropic-wire.js";

const callId = "0b9a6f3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b";
const delta = (fields: Partial<Extract<StreamChunk, { kind: "delta" }>>): Extract<StreamChunk, { kind: "delta" }> => ({ kind: "delta", callId, index: 0, deployment: "d", ...fields });

describe("createAnthropicEventStream", () => {
  it("opens one block at a time, thinking then text then each tool call, and ends with message_delta and message_stop", () => {
    const stream = createAnthropicEventStream({ callId, model: "fast", promptTokens: 9 });
    const events = [
      ...stream.start(),
      ...stream.delta(delta({ reasoning: "hmm" })),
      ...stream.delta(delta({ text: "Sure." })),
      ...stream.delta(delta({ toolCallDeltas: [{ index: 0, id: "call_a", name: "a", argumentsDelta: '{"x"' }] })),
      ...stream.delta(delta({ toolCallDeltas: [{ index: 0, argumentsDelta: ":1}" }, { index: 1, id: "call_b", name: "b", argumentsDelta: "" }] })),
      ...stream.done({
        kind: "done",
        callId,
        index: 5,
        deployment: "d",
        finish: { unified: "tool_calls", raw: "tool_calls" },
        usage: { inputTokens: 20, cachedInputTokens: 8, cacheWriteTokens: 2, outputTokens: 7, reasoningTokens: 0 },
        costPico: 0n,
        model: "m",
      }),
    ];
    expect(events.map((e) => [e.event, e.data.index ?? null, (e.data.delta as { type?: string } | undefined)?.type ?? (e.data.content_block as { type?: string } | undefined)?.type ?? null])).toEqual([
      ["message_start", null, null],
      ["ping", null, null],
      ["content_block_start", 0, "thinking"],
      ["content_block_delta", 0, "thinking_delta"],
      ["content_block_stop", 0, null],
      ["content_block_start", 1, "text"],
      ["content_block_delta", 1, "text_delta"],
      ["content_block_stop", 1, null],
      ["content_block_start", 2, "tool_use"],
      ["content_block_delta", 2, "input_json_delta"],
      ["content_block_delta", 2, "input_json_delta"],
      ["content_block_stop", 2, null],
      ["content_block_start", 3, "tool_use"],
      ["content_block_stop", 3, null],
      ["message_delta", null, null],
      ["message_stop", null, null],
    ]);
    expect(events.at(-2)!.data).toEqual({
      type: "message_delta",
      delta: { stop_reason: "tool_use", stop_sequence: null },
      usage: { input_tokens: 10, output_tokens: 7, cache_creation_input_tokens: 2, cache_read_input_tokens: 8 },
    });
  });

  it("counts only uncached prompt tokens as input_tokens, never below zero", () => {
    expect(toAnthropicUsage({ inputTokens: 3, cachedInputTokens: 5, cacheWriteTokens: 0, outputTokens: 1, reasoningTokens: 0 }).input_tokens).toBe(0);
  });
});

describe("fromAnthropicRequest", () => {
  it("puts a user turn's tool results before its text, joins system blocks, and keeps a signed thinking block", () => {
    const request = fromAnthropicRequest(
      {
        model: "fast",
        max_tokens: 10,
        system: [
          { type: "text", text: "One." },
          { type: "text", text: "Two." },
        ],
        stop_sequences: ["END"],
        tool_choice: { type: "any" },
        metadata: { user_id: "u1" },
        messages: [
          { role: "user", content: "Weather?" },
          { role: "assistant", content: [{ type: "thinking", thinking: "t", signature: "s" }, { type: "tool_use", id: "t1", name: "w", input: { city: "Oslo" } }] },
          { role: "user", content: [{ type: "text", text: "Thanks" }, { type: "tool_result", tool_use_id: "t1", content: "4C" }] },
        ],
      },
      { requireMaxTokens: true },
    );
    expect(request).toEqual({
      model: "fast",
      maxTokens: 10,
      stop: ["END"],
      toolChoice: "required",
      user: "u1",
      messages: [
        { role: "system", content: "One.\nTwo." },
        { role: "user", content: "Weather?" },
        { role: "assistant", content: null, toolCalls: [{ id: "t1", name: "w", arguments: '{"city":"Oslo"}' }], reasoning: "t", reasoningSignature: "s" },
        { role: "tool", toolCallId: "t1", content: "4C" },
        { role: "user", content: "Thanks" },
      ],
    });
  });
});
