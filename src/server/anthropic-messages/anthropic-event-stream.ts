import type { ClientError } from "../../core/index.js";
import type { StreamChunk } from "../../gateway/completion-types.js";
import { messageIdOf, toAnthropicError, toAnthropicUsage, toStopReason } from "./to-anthropic-wire.js";

export interface AnthropicEvent {
  event: string;
  data: Record<string, unknown>;
}

/**
 * The service's stream chunks as Anthropic's SSE events: message_start and a ping; per content block
 * content_block_start → deltas (`thinking_delta`, `text_delta`, `input_json_delta`) → content_block_stop, one block at a
 * time; then message_delta (stop_reason, usage) and message_stop. A failure after the start is an
 * `error` event.
 */
export function createAnthropicEventStream(input: { callId: string; model: string; promptTokens: number }) {
  let blocks = 0;
  /** The block taking deltas now: text, or the tool call of that index. */
  let open: { kind: "text" | "thinking" } | { kind: "tool"; toolIndex: number } | null = null;
  const toolBlocks = new Map<number, number>();
  const event = (name: string, data: Record<string, unknown>): AnthropicEvent => ({ event: name, data: { type: name, ...data } });

  function stop(events: AnthropicEvent[]): void {
    if (open === null) return;
    events.push(event("content_block_stop", { index: blocks - 1 }));
    open = null;
  }

  return {
    start: (): AnthropicEvent[] => [
      event("message_start", {
        message: {
          id: messageIdOf(input.callId),
          type: "message",
          role: "assistant",
          model: input.model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: input.promptTokens, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
        },
      }),
      event("ping", {}),
    ],

    delta(chunk: Extract<StreamChunk, { kind: "delta" }>): AnthropicEvent[] {
      const events: AnthropicEvent[] = [];
      if (chunk.reasoning !== undefined && chunk.reasoning !== "") {
        if (open?.kind !== "thinking") {
          stop(events);
          events.push(event("content_block_start", { index: blocks++, content_block: { type: "thinking", thinking: "", signature: "" } }));
          open = { kind: "thinking" };
        }
        events.push(event("content_block_delta", { index: blocks - 1, delta: { type: "thinking_delta", thinking: chunk.reasoning } }));
      }
      if (chunk.reasoningSignature !== undefined && open?.kind === "thinking") {
        events.push(event("content_block_delta", { index: blocks - 1, delta: { type: "signature_delta", signature: chunk.reasoningSignature } }));
      }
      if (chunk.text !== undefined && chunk.text !== "") {
        if (open?.kind !== "text") {
          stop(events);
          events.push(event("content_block_start", { index: blocks++, content_block: { type: "text", text: "" } }));
          open = { kind: "text" };
        }
        events.push(event("content_block_delta", { index: blocks - 1, delta: { type: "text_delta", text: chunk.text } }));
      }
      for (const delta of chunk.toolCallDeltas ?? []) {
        let index = toolBlocks.get(delta.index);
        if (index === undefined) {
          stop(events);
          index = blocks++;
          toolBlocks.set(delta.index, index);
          events.push(event("content_block_start", { index, content_block: { type: "tool_use", id: delta.id ?? `toolu_${index}`, name: delta.name ?? "", input: {} } }));
          open = { kind: "tool", toolIndex: delta.index };
        }
        if (delta.argumentsDelta !== "") events.push(event("content_block_delta", { index, delta: { type: "input_json_delta", partial_json: delta.argumentsDelta } }));
      }
      return events;
    },

    done(chunk: Extract<StreamChunk, { kind: "done" }>): AnthropicEvent[] {
      const events: AnthropicEvent[] = [];
      stop(events);
      events.push(
        event("message_delta", { delta: { stop_reason: toStopReason(chunk.finish), stop_sequence: null }, usage: toAnthropicUsage(chunk.usage) }),
        event("message_stop", {}),
      );
      return events;
    },

    failed: (error: ClientError): AnthropicEvent[] => [{ event: "error", data: toAnthropicError(error) }],
  };
}
