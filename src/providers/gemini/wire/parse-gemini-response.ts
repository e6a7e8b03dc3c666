import { emptyUsage, ProviderError, type AssistantMessage, type ChatChoice, type ChatResponse, type ToolCall } from "../../../core/index.js";
import { classifyGeminiError } from "./classify-gemini-error.js";
import { convertGeminiUsage } from "./convert-gemini-usage.js";
import { encodeGeminiToolCallId } from "./gemini-tool-call-id.js";
import { mapGeminiFinishReason } from "./map-gemini-finish-reason.js";
import { readGeminiCandidate, type GeminiCandidate } from "./read-gemini-candidate.js";

export interface ParseGeminiResponseContext {
  provider: string;
  /** The model asked for, reported when the body names none. */
  model: string;
}

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

const invalid = (provider: string, message: string): ProviderError =>
  new ProviderError({ kind: "invalid_response", provider, message: `unexpected Gemini response: ${message}` });

/**
 * A `generateContent` body as a ChatResponse (WIRE §4.3). Text parts are joined; functionCall
 * parts become tool calls with ids `call_<n>` when Gemini sends none. A blocked prompt
 * (`promptFeedback.blockReason`, no candidates) is an empty answer finished by
 * `content_filter`; a 200 carrying `{"error":…}` is classified like an HTTP error. Several
 * candidates (`candidateCount`) become `choices`, in order; the usage covers them all.
 */
export function parseGeminiResponse(body: unknown, context: ParseGeminiResponseContext): ChatResponse {
  const { provider } = context;
  if (!isRecord(body)) throw invalid(provider, "not a JSON object");
  if (body.error !== undefined && body.error !== null) throw classifyGeminiError({ provider, body });
  const candidate = readGeminiCandidate(body, provider);
  const count = Array.isArray(body.candidates) ? body.candidates.length : 0;
  if (count === 0 && candidate.blockReason === undefined) throw invalid(provider, "no candidates");

  const first = count > 0 ? toChoice(candidate) : { message: toMessage(candidate, []), finish: { unified: "content_filter" as const, raw: candidate.blockReason ?? null } };
  const choices = count > 1 ? [first, ...Array.from({ length: count - 1 }, (_, i) => toChoice(readGeminiCandidate(body, provider, i + 1)))] : undefined;
  return {
    id: typeof body.responseId === "string" ? body.responseId : "",
    model: typeof body.modelVersion === "string" && body.modelVersion !== "" ? body.modelVersion : context.model,
    message: first.message,
    finish: first.finish,
    usage: isRecord(body.usageMetadata) ? convertGeminiUsage(body.usageMetadata) : emptyUsage(),
    ...(choices ? { choices } : {}),
  };
}

function toChoice(candidate: GeminiCandidate): ChatChoice {
  const toolCalls: ToolCall[] = candidate.functionCalls.map((call, index) => ({
    id: encodeGeminiToolCallId(index, call.id, call.thoughtSignature),
    name: call.name,
    arguments: call.arguments,
  }));
  return { message: toMessage(candidate, toolCalls), finish: mapGeminiFinishReason(candidate.finishReason, toolCalls.length > 0) };
}

const toMessage = (candidate: GeminiCandidate, toolCalls: ToolCall[]): AssistantMessage => ({
  role: "assistant",
  content: candidate.texts.length > 0 ? candidate.texts.join("") : null,
  toolCalls,
  ...(candidate.thoughts.length > 0 ? { reasoning: candidate.thoughts.join("") } : {}),
});
