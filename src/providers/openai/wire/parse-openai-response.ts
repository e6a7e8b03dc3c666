import { emptyUsage, ProviderError, type ChatChoice, type ChatResponse, type ToolCall } from "../../../core/index.js";
import { classifyOpenAIError } from "./classify-openai-error.js";
import { convertOpenAIUsage } from "./convert-openai-usage.js";
import { mapOpenAIFinishReason } from "./map-openai-finish-reason.js";
import type { OpenAIQuirks } from "./openai-quirks.js";

export interface ParseOpenAIResponseContext {
  provider: string;
  /** The model asked for, reported when the body names none. */
  model: string;
  /** A compatible server's own finish reasons and usage fields. */
  quirks?: OpenAIQuirks;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null;

const invalid = (provider: string, message: string): ProviderError =>
  new ProviderError({ kind: "invalid_response", provider, message: `unexpected chat completion body: ${message}` });

const readToolCall = (value: unknown, index: number, provider: string): ToolCall | undefined => {
  if (!isObject(value)) throw invalid(provider, `tool_calls[${index}] is not an object`);
  if (value.type !== undefined && value.type !== "function") return undefined;
  const fn = value.function;
  if (!isObject(fn) || typeof fn.name !== "string") throw invalid(provider, `tool_calls[${index}].function.name is missing`);
  const args = fn.arguments;
  return {
    // Some compatible servers omit ids; later turns still need one to answer the call.
    id: typeof value.id === "string" && value.id !== "" ? value.id : `call_${index}`,
    name: fn.name,
    // A few compatible servers send the arguments as an object; OpenAI's contract is a JSON string.
    arguments: typeof args === "string" ? args : args === undefined || args === null ? "" : JSON.stringify(args),
  };
};

/**
 * A non-streamed Chat Completions body as a ChatResponse. Only the fields read are checked; a
 * body of another shape is an `invalid_response`, and a 200 carrying `{"error":…}` is
 * classified like an HTTP error.
 */
export function parseOpenAIResponse(body: unknown, context: ParseOpenAIResponseContext): ChatResponse {
  const { provider, quirks } = context;
  if (!isObject(body)) throw invalid(provider, "not a JSON object");
  if (isObject(body.error) || typeof body.error === "string") throw classifyOpenAIError({ provider, body });
  const choices = body.choices;
  if (!Array.isArray(choices) || choices.length === 0) throw invalid(provider, "no choices");
  const read = choices.map((choice: unknown, index) => readChoice(choice, index, provider, quirks));
  const first = read[0]!;

  return {
    id: typeof body.id === "string" ? body.id : "",
    model: typeof body.model === "string" && body.model !== "" ? body.model : context.model,
    message: first.message,
    finish: first.finish,
    usage: isObject(body.usage) ? convertOpenAIUsage(body.usage, quirks) : emptyUsage(),
    ...(read.length > 1 ? { choices: read } : {}),
  };
}

/**
 * Reasoning text of a message or a delta from OpenAI-compatible servers: `reasoning_content` (DeepSeek,
 * vLLM, llama.cpp) or `reasoning` (OpenRouter, Ollama's and newer vLLM's OpenAI APIs). OpenAI itself sends none.
 */
export function readReasoningText(message: Record<string, unknown>): string | undefined {
  const text = typeof message.reasoning_content === "string" ? message.reasoning_content : message.reasoning;
  return typeof text === "string" && text !== "" ? text : undefined;
}

/** `choices[index]` as a message and its finish; a choice of another shape is an `invalid_response`. */
function readChoice(choice: unknown, index: number, provider: string, quirks: OpenAIQuirks | undefined): ChatChoice {
  const at = `choices[${index}]`;
  if (!isObject(choice) || !isObject(choice.message)) throw invalid(provider, `${at}.message is missing`);
  const message = choice.message;
  const content = message.content;
  if (content !== undefined && content !== null && typeof content !== "string") {
    throw invalid(provider, `${at}.message.content is not a string`);
  }
  const rawToolCalls = message.tool_calls;
  if (rawToolCalls !== undefined && rawToolCalls !== null && !Array.isArray(rawToolCalls)) {
    throw invalid(provider, `${at}.message.tool_calls is not a list`);
  }
  const toolCalls: ToolCall[] = [];
  if (Array.isArray(rawToolCalls)) {
    rawToolCalls.forEach((value, i) => {
      const call = readToolCall(value, i, provider);
      if (call !== undefined) toolCalls.push(call);
    });
  }
  const finishReason = choice.finish_reason;
  const reasoning = readReasoningText(message);
  return {
    message: {
      role: "assistant",
      content: content ?? null,
      toolCalls,
      refusal: typeof message.refusal === "string" ? message.refusal : null,
      ...(reasoning !== undefined ? { reasoning } : {}),
    },
    finish: mapOpenAIFinishReason(typeof finishReason === "string" ? finishReason : null, quirks?.finishReasons),
  };
}
