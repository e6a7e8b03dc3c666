import type { AssistantMessage, ChatMessage, Finish, Usage } from "../../core/index.js";
import type { ResponsesTurn } from "./from-responses-request.js";
import { cacheWriteDetail } from "../openai-compat/to-openai-wire.js";

/** What every response object of one request shares: its id, its creation time and the request's settings, echoed. */
export interface ResponseFrame {
  id: string;
  callId: string;
  /** Epoch seconds. */
  createdAt: number;
  turn: ResponsesTurn;
  body: Record<string, unknown>;
}

export type OutputItem =
  /** `encrypted_content`: the provider's signature of the reasoning (Anthropic thinking), to be sent back with it on a later turn. */
  | { type: "reasoning"; id: string; status: "in_progress" | "completed"; summary: never[]; content: ReasoningText[]; encrypted_content?: string }
  | { type: "message"; id: string; status: "in_progress" | "completed"; role: "assistant"; content: OutputText[] }
  | { type: "function_call"; id: string; call_id: string; name: string; arguments: string; status: "in_progress" | "completed" };

export interface ReasoningText {
  type: "reasoning_text";
  text: string;
}

export interface OutputText {
  type: "output_text";
  text: string;
  annotations: never[];
  logprobs: never[];
}

/** `resp_` + the call id's hex: a response names the call that answered it. */
export const responseIdOf = (callId: string): string => `resp_${callId.replaceAll("-", "")}`;
export const messageItemId = (callId: string, index: number): string => `msg_${callId.replaceAll("-", "")}${index === 0 ? "" : `_${index}`}`;
export const reasoningItemId = (callId: string, index: number): string => `rs_${callId.replaceAll("-", "")}${index === 0 ? "" : `_${index}`}`;
export const functionCallItemId = (callId: string, index: number): string => `fc_${callId.replaceAll("-", "")}_${index}`;

export const outputText = (text: string): OutputText => ({ type: "output_text", text, annotations: [], logprobs: [] });

/** An answer as Responses output items: its reasoning, its text as one message, then one item per function call. */
export function toOutputItems(callId: string, message: AssistantMessage): OutputItem[] {
  const items: OutputItem[] = [];
  if (message.reasoning) {
    items.push({
      type: "reasoning",
      id: reasoningItemId(callId, 0),
      status: "completed",
      summary: [],
      content: [{ type: "reasoning_text", text: message.reasoning }],
      ...(message.reasoningSignature ? { encrypted_content: message.reasoningSignature } : {}),
    });
  }
  if (message.content !== null && (message.content !== "" || message.toolCalls.length === 0)) {
    items.push({ type: "message", id: messageItemId(callId, 0), status: "completed", role: "assistant", content: [outputText(message.content)] });
  }
  message.toolCalls.forEach((call, i) => {
    items.push({ type: "function_call", id: functionCallItemId(callId, i), call_id: call.id, name: call.name, arguments: call.arguments, status: "completed" });
  });
  return items;
}

/** Output items back as the unified assistant turn (kept in the stored conversation). */
export function toAssistantMessage(items: readonly OutputItem[]): ChatMessage {
  const text = items.flatMap((item) => (item.type === "message" ? item.content.map((c) => c.text) : []));
  const calls = items.flatMap((item) => (item.type === "function_call" ? [{ id: item.call_id, name: item.name, arguments: item.arguments }] : []));
  return { role: "assistant", content: text.length > 0 ? text.join("") : null, ...(calls.length > 0 ? { toolCalls: calls } : {}) };
}

/** Usage in the Responses API's shape. */
export function toResponsesUsage(usage: Usage) {
  return {
    input_tokens: usage.inputTokens,
    input_tokens_details: { cached_tokens: usage.cachedInputTokens, ...cacheWriteDetail(usage) },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens },
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
}

export type ResponseStatus = "in_progress" | "completed" | "incomplete" | "failed";

/** A finished answer's status: cut by the token limit or a content filter is `incomplete`, as OpenAI reports it. */
export function statusOf(finish: Finish): { status: ResponseStatus; incompleteReason: string | null } {
  if (finish.unified === "length") return { status: "incomplete", incompleteReason: "max_output_tokens" };
  if (finish.unified === "content_filter") return { status: "incomplete", incompleteReason: "content_filter" };
  return { status: "completed", incompleteReason: null };
}

export interface ResponseState {
  status: ResponseStatus;
  model: string;
  output: OutputItem[];
  usage: Usage | null;
  incompleteReason?: string | null;
  error?: { code: string; message: string } | null;
}

/** The `response` object, in the shape `client.responses.create` returns. */
export function toResponseObject(frame: ResponseFrame, state: ResponseState) {
  const { turn, body } = frame;
  return {
    id: frame.id,
    object: "response",
    created_at: frame.createdAt,
    status: state.status,
    background: false,
    error: state.error ?? null,
    incomplete_details: state.incompleteReason ? { reason: state.incompleteReason } : null,
    instructions: turn.instructions,
    max_output_tokens: turn.options.maxTokens ?? null,
    model: state.model,
    output: state.output,
    parallel_tool_calls: body.parallel_tool_calls !== false,
    previous_response_id: turn.previousResponseId,
    reasoning: { effort: null, summary: null },
    store: turn.store,
    temperature: turn.options.temperature ?? 1,
    text: { format: echoFormat(body.text) },
    tool_choice: body.tool_choice ?? "auto",
    tools: (turn.options.tools ?? []).map((tool) => ({
      type: "function",
      name: tool.name,
      description: tool.description ?? null,
      parameters: tool.parameters ?? null,
      strict: null,
    })),
    top_p: turn.options.topP ?? 1,
    truncation: "disabled",
    usage: state.usage ? toResponsesUsage(state.usage) : null,
    user: turn.options.user ?? null,
    metadata: turn.metadata ?? {},
  };
}

function echoFormat(text: unknown): unknown {
  const format = (text as { format?: unknown } | null | undefined)?.format;
  return format ?? { type: "text" };
}
