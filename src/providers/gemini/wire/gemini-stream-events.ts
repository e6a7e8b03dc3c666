import { ProviderError, type ChatEvent, type Finish, type Usage } from "../../../core/index.js";
import { invalidStreamData } from "../../http/invalid-stream-data.js";
import { classifyGeminiError } from "./classify-gemini-error.js";
import { convertGeminiUsage } from "./convert-gemini-usage.js";
import { encodeGeminiToolCallId } from "./gemini-tool-call-id.js";
import { mapGeminiFinishReason } from "./map-gemini-finish-reason.js";
import { readGeminiCandidate } from "./read-gemini-candidate.js";

export interface GeminiStreamContext {
  provider: string;
  /** The model asked for, reported when no chunk names one. */
  model: string;
}

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

const hasError = (value: unknown): boolean =>
  (isRecord(value) && value.error !== undefined && value.error !== null) || (Array.isArray(value) && hasError(value[0]));

/**
 * Gemini stream chunks (each a GenerateContentResponse holding only the new parts, WIRE §4.4)
 * as ChatEvents: text pieces as `text-delta`; a functionCall part, which arrives whole, as one
 * `tool-call-delta` with its id, name and complete arguments. Gemini sends no end marker: the
 * stream is complete when the bytes end after a `finishReason` (or a prompt block), and then
 * exactly one `finish` follows with the last usage seen. A chunk with an `error` member is
 * thrown classified; an unparsable chunk is `invalid_response`; an end with no finishReason
 * is a truncated stream (`connection`).
 */
export async function* geminiStreamEvents(
  payloads: AsyncIterable<string>,
  context: GeminiStreamContext,
): AsyncGenerator<ChatEvent, void, undefined> {
  const { provider } = context;
  let id = "";
  let model = "";
  let finishReason: string | undefined;
  let blockReason: string | undefined;
  let usage: Usage | null = null;
  let callCount = 0;

  for await (const data of payloads) {
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch (error) {
      throw invalidStreamData(provider, "stream chunk is not a JSON object", data, error);
    }
    if (hasError(chunk)) throw classifyGeminiError({ provider, body: chunk, bodyText: data });
    if (!isRecord(chunk)) throw invalidStreamData(provider, "stream chunk is not a JSON object", data);
    if (id === "" && typeof chunk.responseId === "string") id = chunk.responseId;
    if (model === "" && typeof chunk.modelVersion === "string") model = chunk.modelVersion;

    const candidate = readGeminiCandidate(chunk, provider);
    for (const text of candidate.thoughts) yield { type: "reasoning-delta", text };
    for (const text of candidate.texts) yield { type: "text-delta", text };
    for (const call of candidate.functionCalls) {
      const index = callCount++;
      yield {
        type: "tool-call-delta",
        index,
        id: encodeGeminiToolCallId(index, call.id, call.thoughtSignature),
        name: call.name,
        argumentsDelta: call.arguments,
      };
    }
    if (candidate.finishReason !== undefined) finishReason = candidate.finishReason;
    if (candidate.blockReason !== undefined) blockReason = candidate.blockReason;
    if (isRecord(chunk.usageMetadata)) usage = convertGeminiUsage(chunk.usageMetadata);
  }

  if (finishReason === undefined && blockReason === undefined) {
    throw new ProviderError({ kind: "connection", provider, message: "stream ended before completion" });
  }
  const finish: Finish =
    finishReason !== undefined
      ? mapGeminiFinishReason(finishReason, callCount > 0)
      : { unified: "content_filter", raw: blockReason ?? null };
  yield { type: "finish", finish, usage, model: model !== "" ? model : context.model, id };
}
