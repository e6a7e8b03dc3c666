import { ProviderError, type ChatEvent, type Usage } from "../../../core/index.js";
import { invalidStreamData } from "../../http/invalid-stream-data.js";
import type { SseEvent } from "../../http/sse-events.js";
import { decodedStreamEvents, type StreamDecoder } from "../../http/stream-frames.js";
import { classifyOpenAIError } from "./classify-openai-error.js";
import { convertOpenAIUsage } from "./convert-openai-usage.js";
import { mapOpenAIFinishReason } from "./map-openai-finish-reason.js";
import type { OpenAIQuirks } from "./openai-quirks.js";
import { readReasoningText } from "./parse-openai-response.js";

export interface OpenAIStreamContext {
  provider: string;
  /** The model asked for, reported when no chunk names one. */
  model: string;
  /** A compatible server's own finish reasons and usage fields. */
  quirks?: OpenAIQuirks;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null;

/**
 * OpenAI Chat Completions stream events as ChatEvents: text and tool-call fragments as they
 * come, then exactly one `finish` after `[DONE]` (or when the bytes end after a
 * `finish_reason`). Every choice is read (`n` > 1): pieces of choice 1 and later carry their
 * `choice`, and the finish holds each choice's reason. Refusal pieces are not text and are dropped.
 * An `error` chunk is thrown classified like an HTTP error; an unparsable chunk is an
 * `invalid_response`; an end with neither `[DONE]` nor `finish_reason` is a truncated stream
 * (`connection`).
 */
export function openaiStreamEvents(events: AsyncIterable<SseEvent>, context: OpenAIStreamContext): AsyncGenerator<ChatEvent, void, undefined> {
  return decodedStreamEvents(events, new OpenAIStreamDecoder(context));
}

/**
 * What openaiStreamEvents does, one SSE event at a time and synchronously, pushing the ChatEvents
 * into the caller's array: the adapter runs it inside the one generator that reads the response
 * (guarded-stream-events.ts) instead of behind two more async generators, each of which cost a
 * promise and a microtask hop per event.
 */
export class OpenAIStreamDecoder implements StreamDecoder<SseEvent> {
  readonly #context: OpenAIStreamContext;
  #id = "";
  #model = "";
  #finishReason: string | null | undefined;
  // Finish reasons of choices 1, 2, … (choice 0's is #finishReason), and the highest choice index seen.
  readonly #otherReasons: (string | undefined)[] = [];
  #lastChoice = 0;
  #usage: Usage | null = null;
  #done = false;

  constructor(context: OpenAIStreamContext) {
    this.#context = context;
  }

  /** One SSE event's ChatEvents pushed onto `out`; true at `[DONE]` (nothing after it is read). Throws as openaiStreamEvents does. */
  decode(event: SseEvent, out: ChatEvent[]): boolean {
    const { provider, quirks } = this.#context;
    const data = event.data;
    if (data === "[DONE]") {
      this.#done = true;
      return true;
    }
    // Inline try/catch rather than a result object: this runs once per token.
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch (error) {
      if (event.event === "error") throw classifyOpenAIError({ provider, bodyText: data });
      throw invalidStreamData(provider, "stream chunk is not a JSON object", data, error);
    }
    if (!isObject(chunk)) throw invalidStreamData(provider, "stream chunk is not a JSON object", data);
    if (event.event === "error" || (chunk.error !== undefined && chunk.error !== null)) {
      throw classifyOpenAIError({ provider, body: chunk, bodyText: data });
    }
    if (this.#id === "" && typeof chunk.id === "string") this.#id = chunk.id;
    if (this.#model === "" && typeof chunk.model === "string") this.#model = chunk.model;

    const choices = chunk.choices;
    if (Array.isArray(choices)) {
      for (let c = 0; c < choices.length; c++) {
        const choice: unknown = choices[c];
        if (!isObject(choice)) continue;
        const at = typeof choice.index === "number" && Number.isInteger(choice.index) && choice.index > 0 ? choice.index : 0;
        if (at > this.#lastChoice) this.#lastChoice = at;
        const delta = choice.delta;
        if (isObject(delta)) {
          const reasoning = readReasoningText(delta);
          if (reasoning !== undefined) out.push(at === 0 ? { type: "reasoning-delta", text: reasoning } : { type: "reasoning-delta", text: reasoning, choice: at });
          const content = delta.content;
          if (typeof content === "string" && content !== "") out.push(at === 0 ? { type: "text-delta", text: content } : { type: "text-delta", text: content, choice: at });
          const toolCalls = delta.tool_calls;
          if (Array.isArray(toolCalls)) {
            for (let t = 0; t < toolCalls.length; t++) {
              const call: unknown = toolCalls[t];
              if (!isObject(call)) continue;
              const fn = isObject(call.function) ? call.function : undefined;
              const callId = typeof call.id === "string" ? call.id : undefined;
              const name = typeof fn?.name === "string" ? fn.name : undefined;
              const argumentsDelta = typeof fn?.arguments === "string" ? fn.arguments : "";
              if (callId === undefined && name === undefined && argumentsDelta === "") continue;
              out.push({
                type: "tool-call-delta",
                index: typeof call.index === "number" ? call.index : t,
                id: callId,
                name,
                argumentsDelta,
                ...(at === 0 ? {} : { choice: at }),
              });
            }
          }
        }
        const reason = choice.finish_reason;
        if (typeof reason === "string") {
          if (at === 0) this.#finishReason = reason;
          else this.#otherReasons[at - 1] = reason;
        }
      }
    }
    const usageField = quirks?.streamUsageField;
    if (isObject(chunk.usage)) {
      this.#usage = convertOpenAIUsage(chunk.usage, quirks);
    } else if (usageField !== undefined) {
      const container = chunk[usageField];
      if (isObject(container) && isObject(container.usage)) this.#usage = convertOpenAIUsage(container.usage, quirks);
    }
    return false;
  }

  /** The events ended (at `[DONE]` or with the bytes): the one `finish` pushed onto `out`, or the truncated stream thrown. */
  end(out: ChatEvent[]): void {
    const { provider, quirks } = this.#context;
    const finishReason = this.#finishReason;
    if (!this.#done && finishReason === undefined) {
      throw new ProviderError({ kind: "connection", provider, message: "stream ended before completion" });
    }
    const finish = mapOpenAIFinishReason(finishReason, quirks?.finishReasons);
    const lastChoice = this.#lastChoice;
    out.push({
      type: "finish",
      finish,
      usage: this.#usage,
      model: this.#model !== "" ? this.#model : this.#context.model,
      id: this.#id,
      ...(lastChoice > 0
        ? { choices: [finish, ...Array.from({ length: lastChoice }, (_, i) => mapOpenAIFinishReason(this.#otherReasons[i] ?? finishReason, quirks?.finishReasons))] }
        : {}),
    });
  }
}
