import type { Finish, FinishReason } from "../../../core/index.js";

/** WIRE §8.1. `STOP` is absent: it depends on whether the answer called functions. */
const UNIFIED: Readonly<Record<string, FinishReason>> = {
  MAX_TOKENS: "length",
  SAFETY: "content_filter",
  RECITATION: "content_filter",
  BLOCKLIST: "content_filter",
  PROHIBITED_CONTENT: "content_filter",
  SPII: "content_filter",
  IMAGE_SAFETY: "content_filter",
  IMAGE_PROHIBITED_CONTENT: "content_filter",
  IMAGE_RECITATION: "content_filter",
  MALFORMED_FUNCTION_CALL: "error",
  UNEXPECTED_TOOL_CALL: "error",
  TOO_MANY_TOOL_CALLS: "error",
};

/**
 * A candidate's `finishReason` as `{ unified, raw }`. Gemini has no tool-call finish reason:
 * `STOP` (or none) with functionCall parts is `tool_calls`. `OTHER`, `LANGUAGE`, unknown and
 * missing values count as `stop`.
 */
export function mapGeminiFinishReason(raw: string | null | undefined, hasToolCalls: boolean): Finish {
  const value = raw ?? null;
  const mapped = value !== null ? UNIFIED[value] : undefined;
  if (mapped !== undefined) return { unified: mapped, raw: value };
  return { unified: hasToolCalls ? "tool_calls" : "stop", raw: value };
}
