import { ProviderError, type ChatEvent } from "../../../core/index.js";
import { invalidStreamData } from "../../http/invalid-stream-data.js";
import { decodedStreamEvents, type StreamDecoder } from "../../http/stream-frames.js";
import { classifyOllamaError } from "./classify-ollama-error.js";
import { convertOllamaUsage } from "./convert-ollama-usage.js";
import { mapOllamaFinishReason } from "./map-ollama-finish-reason.js";
import { readOllamaToolCall } from "./read-ollama-tool-call.js";

export interface OllamaStreamContext {
  provider: string;
  /** The model asked for, reported when no line names one. */
  model: string;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Ollama's NDJSON stream as ChatEvents: `message.content` pieces as text, each whole tool call
 * as one `tool-call-delta` (ids made up when Ollama sends none), and one `finish` from the
 * `done: true` line with its counts. Reading stops at that line. An `{"error":…}` line is
 * thrown classified; a line that is not a JSON object is an `invalid_response`; bytes that end
 * before the `done` line are a truncated stream (`connection`).
 */
export function ollamaStreamEvents(lines: AsyncIterable<string>, context: OllamaStreamContext): AsyncGenerator<ChatEvent, void, undefined> {
  return decodedStreamEvents(lines, new OllamaStreamDecoder(context));
}

/** What ollamaStreamEvents does, one NDJSON line at a time and synchronously, for guardedStreamEvents. */
export class OllamaStreamDecoder implements StreamDecoder<string> {
  readonly #context: OllamaStreamContext;
  #model = "";
  #toolCalls = 0;
  #finish: ChatEvent | undefined;

  constructor(context: OllamaStreamContext) {
    this.#context = context;
  }

  /** One line's ChatEvents pushed onto `out`; true at the `done` line (nothing after it is read). Throws as ollamaStreamEvents does. */
  decode(line: string, out: ChatEvent[]): boolean {
    const { provider } = this.#context;
    let chunk: unknown;
    try {
      chunk = JSON.parse(line);
    } catch (error) {
      throw invalidStreamData(provider, "stream line is not a JSON object", line, error);
    }
    if (!isObject(chunk)) throw invalidStreamData(provider, "stream line is not a JSON object", JSON.stringify(chunk));
    if (chunk.error !== undefined && chunk.error !== null) throw classifyOllamaError({ provider, body: chunk });
    if (this.#model === "" && typeof chunk.model === "string") this.#model = chunk.model;

    const message = chunk.message;
    if (isObject(message)) {
      if (typeof message.thinking === "string" && message.thinking !== "") out.push({ type: "reasoning-delta", text: message.thinking });
      if (typeof message.content === "string" && message.content !== "") out.push({ type: "text-delta", text: message.content });
      if (Array.isArray(message.tool_calls)) {
        for (const value of message.tool_calls) {
          const call = readOllamaToolCall(value, this.#toolCalls, provider);
          out.push({ type: "tool-call-delta", index: this.#toolCalls, id: call.id, name: call.name, argumentsDelta: call.arguments });
          this.#toolCalls++;
        }
      }
    }

    if (chunk.done !== true) return false;
    this.#finish = {
      type: "finish",
      finish: mapOllamaFinishReason(typeof chunk.done_reason === "string" ? chunk.done_reason : null, this.#toolCalls > 0),
      usage: convertOllamaUsage(chunk),
      model: this.#model !== "" ? this.#model : this.#context.model,
      id: "",
    };
    return true;
  }

  /** The lines ended: the `finish` of the `done` line pushed onto `out`, or the truncated stream thrown. */
  end(out: ChatEvent[]): void {
    if (this.#finish === undefined) {
      throw new ProviderError({ kind: "connection", provider: this.#context.provider, message: "stream ended before completion" });
    }
    out.push(this.#finish);
  }
}
