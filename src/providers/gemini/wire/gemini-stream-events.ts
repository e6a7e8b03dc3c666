import { ProviderError, type ChatEvent, type Finish, type Usage } from "../../../core/index.js";
import { invalidStreamData } from "../../http/invalid-stream-data.js";
import { decodedStreamEvents, type StreamDecoder } from "../../http/stream-frames.js";
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
export function geminiStreamEvents(payloads: AsyncIterable<string>, context: GeminiStreamContext): AsyncGenerator<ChatEvent, void, undefined> {
  return decodedStreamEvents(payloads, new GeminiStreamDecoder(context));
}

/** What geminiStreamEvents does, one payload at a time and synchronously, for guardedStreamEvents. */
export class GeminiStreamDecoder implements StreamDecoder<string> {
  readonly #context: GeminiStreamContext;
  #id = "";
  #model = "";
  #finishReason: string | undefined;
  #blockReason: string | undefined;
  #usage: Usage | null = null;
  #callCount = 0;

  constructor(context: GeminiStreamContext) {
    this.#context = context;
  }

  /** One payload's ChatEvents pushed onto `out`; Gemini has no end marker, so never true. Throws as geminiStreamEvents does. */
  decode(data: string, out: ChatEvent[]): boolean {
    const { provider } = this.#context;
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch (error) {
      throw invalidStreamData(provider, "stream chunk is not a JSON object", data, error);
    }
    if (hasError(chunk)) throw classifyGeminiError({ provider, body: chunk, bodyText: data });
    if (!isRecord(chunk)) throw invalidStreamData(provider, "stream chunk is not a JSON object", data);
    if (this.#id === "" && typeof chunk.responseId === "string") this.#id = chunk.responseId;
    if (this.#model === "" && typeof chunk.modelVersion === "string") this.#model = chunk.modelVersion;

    const candidate = readGeminiCandidate(chunk, provider);
    for (const text of candidate.thoughts) out.push({ type: "reasoning-delta", text });
    for (const text of candidate.texts) out.push({ type: "text-delta", text });
    for (const call of candidate.functionCalls) {
      const index = this.#callCount++;
      out.push({
        type: "tool-call-delta",
        index,
        id: encodeGeminiToolCallId(index, call.id, call.thoughtSignature),
        name: call.name,
        argumentsDelta: call.arguments,
      });
    }
    if (candidate.finishReason !== undefined) this.#finishReason = candidate.finishReason;
    if (candidate.blockReason !== undefined) this.#blockReason = candidate.blockReason;
    if (isRecord(chunk.usageMetadata)) this.#usage = convertGeminiUsage(chunk.usageMetadata);
    return false;
  }

  /** The bytes ended: the one `finish` pushed onto `out`, or the truncated stream thrown. */
  end(out: ChatEvent[]): void {
    const finishReason = this.#finishReason;
    const blockReason = this.#blockReason;
    if (finishReason === undefined && blockReason === undefined) {
      throw new ProviderError({ kind: "connection", provider: this.#context.provider, message: "stream ended before completion" });
    }
    const finish: Finish =
      finishReason !== undefined
        ? mapGeminiFinishReason(finishReason, this.#callCount > 0)
        : { unified: "content_filter", raw: blockReason ?? null };
    out.push({ type: "finish", finish, usage: this.#usage, model: this.#model !== "" ? this.#model : this.#context.model, id: this.#id });
  }
}
