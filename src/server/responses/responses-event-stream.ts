import type { ClientError } from "../../core/index.js";
import type { StreamChunk } from "../../gateway/completion-types.js";
import {
  functionCallItemId,
  messageItemId,
  outputText,
  reasoningItemId,
  statusOf,
  toResponseObject,
  type OutputItem,
  type ResponseFrame,
} from "./to-responses-wire.js";

export interface ResponsesEvent {
  type: string;
  sequence_number: number;
  [field: string]: unknown;
}

type MessageItem = Extract<OutputItem, { type: "message" }>;
type FunctionCallItem = Extract<OutputItem, { type: "function_call" }>;
type ReasoningItem = Extract<OutputItem, { type: "reasoning" }>;

/**
 * The service's stream chunks as the Responses API's semantic events, in OpenAI's order: created and
 * in_progress; per message item added → content part added → text deltas → text done → part done →
 * item done; per function call item added → argument deltas → arguments done → item done; then
 * completed (or incomplete, or failed). Reasoning text comes first, as a reasoning item: added →
 * reasoning_text part added → reasoning_text deltas → done → part done → item done. Every event carries the next `sequence_number`.
 */
export function createResponsesEventStream(frame: ResponseFrame) {
  let sequence = 0;
  const output: OutputItem[] = [];
  let openMessage: { item: MessageItem; index: number } | null = null;
  let openReasoning: { item: ReasoningItem; index: number } | null = null;
  let reasonings = 0;
  const openCalls = new Map<number, { item: FunctionCallItem; index: number }>();
  let messages = 0;
  const event = (type: string, fields: Record<string, unknown> = {}): ResponsesEvent => ({ type, sequence_number: sequence++, ...fields });
  const snapshot = (status: "in_progress") => toResponseObject(frame, { status, model: frame.turn.model, output: [], usage: null });

  function closeMessage(events: ResponsesEvent[]): void {
    if (!openMessage) return;
    const { item, index } = openMessage;
    const text = item.content[0]!.text;
    item.status = "completed";
    events.push(
      event("response.output_text.done", { item_id: item.id, output_index: index, content_index: 0, text, logprobs: [] }),
      event("response.content_part.done", { item_id: item.id, output_index: index, content_index: 0, part: outputText(text) }),
      event("response.output_item.done", { output_index: index, item: structuredClone(item) }),
    );
    openMessage = null;
  }

  function closeReasoning(events: ResponsesEvent[]): void {
    if (!openReasoning) return;
    const { item, index } = openReasoning;
    const text = item.content[0]!.text;
    item.status = "completed";
    events.push(
      event("response.reasoning_text.done", { item_id: item.id, output_index: index, content_index: 0, text }),
      event("response.content_part.done", { item_id: item.id, output_index: index, content_index: 0, part: { type: "reasoning_text", text } }),
      event("response.output_item.done", { output_index: index, item: structuredClone(item) }),
    );
    openReasoning = null;
  }

  function closeCalls(events: ResponsesEvent[]): void {
    for (const { item, index } of openCalls.values()) {
      item.status = "completed";
      events.push(
        event("response.function_call_arguments.done", { item_id: item.id, output_index: index, name: item.name, arguments: item.arguments }),
        event("response.output_item.done", { output_index: index, item: structuredClone(item) }),
      );
    }
    openCalls.clear();
  }

  return {
    /** The response as streamed so far (its items, completed or not). */
    output: (): readonly OutputItem[] => output,

    start: (): ResponsesEvent[] => [event("response.created", { response: snapshot("in_progress") }), event("response.in_progress", { response: snapshot("in_progress") })],

    delta(chunk: Extract<StreamChunk, { kind: "delta" }>): ResponsesEvent[] {
      const events: ResponsesEvent[] = [];
      if (chunk.reasoning !== undefined && chunk.reasoning !== "") {
        if (!openReasoning) {
          closeMessage(events);
          const item: ReasoningItem = { type: "reasoning", id: reasoningItemId(frame.callId, reasonings++), status: "in_progress", summary: [], content: [] };
          openReasoning = { item, index: output.length };
          output.push(item);
          events.push(event("response.output_item.added", { output_index: openReasoning.index, item: structuredClone(item) }));
          item.content.push({ type: "reasoning_text", text: "" });
          events.push(event("response.content_part.added", { item_id: item.id, output_index: openReasoning.index, content_index: 0, part: { type: "reasoning_text", text: "" } }));
        }
        openReasoning.item.content[0]!.text += chunk.reasoning;
        events.push(event("response.reasoning_text.delta", { item_id: openReasoning.item.id, output_index: openReasoning.index, content_index: 0, delta: chunk.reasoning }));
      }
      // The signature closes the reasoning it signs: it goes on that item before it is done.
      if (chunk.reasoningSignature !== undefined && openReasoning) openReasoning.item.encrypted_content = chunk.reasoningSignature;
      if (chunk.text !== undefined && chunk.text !== "") {
        closeReasoning(events);
        if (!openMessage) {
          const item: MessageItem = { type: "message", id: messageItemId(frame.callId, messages++), status: "in_progress", role: "assistant", content: [] };
          openMessage = { item, index: output.length };
          output.push(item);
          events.push(event("response.output_item.added", { output_index: openMessage.index, item: structuredClone(item) }));
          item.content.push(outputText(""));
          events.push(event("response.content_part.added", { item_id: item.id, output_index: openMessage.index, content_index: 0, part: outputText("") }));
        }
        openMessage.item.content[0]!.text += chunk.text;
        events.push(event("response.output_text.delta", { item_id: openMessage.item.id, output_index: openMessage.index, content_index: 0, delta: chunk.text, logprobs: [] }));
      }
      for (const delta of chunk.toolCallDeltas ?? []) {
        let open = openCalls.get(delta.index);
        if (!open) {
          // Text that came before a function call is complete once the call starts.
          closeReasoning(events);
          closeMessage(events);
          const item: FunctionCallItem = {
            type: "function_call",
            id: functionCallItemId(frame.callId, delta.index),
            call_id: delta.id ?? functionCallItemId(frame.callId, delta.index),
            name: delta.name ?? "",
            arguments: "",
            status: "in_progress",
          };
          open = { item, index: output.length };
          openCalls.set(delta.index, open);
          output.push(item);
          events.push(event("response.output_item.added", { output_index: open.index, item: structuredClone(item) }));
        }
        if (delta.argumentsDelta !== "") {
          open.item.arguments += delta.argumentsDelta;
          events.push(event("response.function_call_arguments.delta", { item_id: open.item.id, output_index: open.index, delta: delta.argumentsDelta }));
        }
      }
      return events;
    },

    done(chunk: Extract<StreamChunk, { kind: "done" }>): { events: ResponsesEvent[]; response: ReturnType<typeof toResponseObject> } {
      const events: ResponsesEvent[] = [];
      closeReasoning(events);
      closeMessage(events);
      closeCalls(events);
      const { status, incompleteReason } = statusOf(chunk.finish);
      const response = toResponseObject(frame, { status, incompleteReason, model: chunk.model, output, usage: chunk.usage });
      events.push(event(status === "completed" ? "response.completed" : "response.incomplete", { response }));
      return { events, response };
    },

    failed(error: ClientError): ResponsesEvent[] {
      const response = toResponseObject(frame, {
        status: "failed",
        model: frame.turn.model,
        output,
        usage: null,
        error: { code: error.httpStatus === 429 ? "rate_limit_exceeded" : "server_error", message: error.message },
      });
      return [event("response.failed", { response })];
    },
  };
}
