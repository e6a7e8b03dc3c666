import { ProviderError } from "../../../core/index.js";

type Json = Record<string, unknown>;

export interface GeminiFunctionCall {
  name: string;
  /** The arguments as a JSON string, as a ChatRequest carries them. */
  arguments: string;
  id?: string;
  thoughtSignature?: string;
}

/** What one GenerateContentResponse (whole or a stream chunk) says about one candidate (0 unless asked). */
export interface GeminiCandidate {
  /** Answer text pieces in order; thought summaries (`thought: true`) are left out. */
  texts: string[];
  /** Thought summaries (`thought: true` text parts, sent with `thinkingConfig.includeThoughts`), in order. */
  thoughts: string[];
  functionCalls: GeminiFunctionCall[];
  finishReason?: string;
  /** `promptFeedback.blockReason`: the prompt was refused and there is no candidate. */
  blockReason?: string;
}

const isRecord = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

const invalid = (provider: string, message: string): ProviderError =>
  new ProviderError({ kind: "invalid_response", provider, message: `unexpected Gemini response: ${message}` });

const readFunctionCall = (part: Json, value: unknown, provider: string): GeminiFunctionCall => {
  if (!isRecord(value) || typeof value.name !== "string") throw invalid(provider, "functionCall without a name");
  const call: GeminiFunctionCall = {
    name: value.name,
    arguments: value.args === undefined || value.args === null ? "{}" : JSON.stringify(value.args),
  };
  if (typeof value.id === "string" && value.id !== "") call.id = value.id;
  if (typeof part.thoughtSignature === "string" && part.thoughtSignature !== "") call.thoughtSignature = part.thoughtSignature;
  return call;
};

/**
 * Reads candidate `at` (0 unless asked) of a GenerateContentResponse, checking only the fields read:
 * parts that are neither text nor functionCall (inline data, executable code) are skipped. A body
 * with no candidates is fine here; callers decide what that means.
 */
export function readGeminiCandidate(body: Json, provider: string, at = 0): GeminiCandidate {
  const result: GeminiCandidate = { texts: [], thoughts: [], functionCalls: [] };
  const feedback = body.promptFeedback;
  if (isRecord(feedback) && typeof feedback.blockReason === "string") result.blockReason = feedback.blockReason;

  const candidates = body.candidates;
  if (candidates === undefined || candidates === null) return result;
  if (!Array.isArray(candidates)) throw invalid(provider, "candidates is not a list");
  const candidate: unknown = candidates[at];
  if (candidate === undefined) return result;
  if (!isRecord(candidate)) throw invalid(provider, `candidates[${at}] is not an object`);
  if (typeof candidate.finishReason === "string") result.finishReason = candidate.finishReason;

  const content = candidate.content;
  if (content === undefined || content === null) return result;
  if (!isRecord(content)) throw invalid(provider, `candidates[${at}].content is not an object`);
  const parts = content.parts;
  if (parts === undefined || parts === null) return result;
  if (!Array.isArray(parts)) throw invalid(provider, `candidates[${at}].content.parts is not a list`);
  for (const part of parts) {
    if (!isRecord(part)) throw invalid(provider, "a part is not an object");
    if (part.functionCall !== undefined) {
      result.functionCalls.push(readFunctionCall(part, part.functionCall, provider));
    } else if (typeof part.text === "string" && part.text !== "") {
      (part.thought === true ? result.thoughts : result.texts).push(part.text);
    }
  }
  return result;
}
