import { toUtf8 } from "@smithy/util-utf8";
import { ProviderError, type ChatEvent, type Usage } from "../../../core/index.js";
import { invalidStreamData } from "../../http/invalid-stream-data.js";
import { decodedStreamEvents, type StreamDecoder } from "../../http/stream-frames.js";
import { classifyBedrockError } from "./classify-bedrock-error.js";
import { convertBedrockUsage } from "./convert-bedrock-usage.js";
import type { EventStreamMessage } from "./event-stream-messages.js";
import { mapBedrockStopReason } from "./map-bedrock-stop-reason.js";

export interface BedrockStreamContext {
  provider: string;
  /** ConverseStream names no model: the one asked for is reported. */
  model: string;
  /** ConverseStream carries no id: the `x-amzn-requestid` header stands in. */
  id: string;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null;

const header = (message: EventStreamMessage, name: string): string | undefined => {
  const value = message.headers[name];
  return value?.type === "string" ? value.value : undefined;
};

const invalid = (provider: string, message: string, cause?: unknown): ProviderError =>
  new ProviderError({ kind: "invalid_response", provider, message, cause });

const readPayload = (message: EventStreamMessage, provider: string, eventType: string): Json => {
  const text = toUtf8(message.body);
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch (error) {
    throw invalidStreamData(provider, `${eventType} event payload is not JSON`, text, error);
  }
  if (!isObject(payload)) throw invalid(provider, `${eventType} event payload is not a JSON object`);
  return payload;
};

const failureFrom = (message: EventStreamMessage, messageType: string | undefined, provider: string): ProviderError => {
  if (messageType === "exception") {
    const errorType = header(message, ":exception-type");
    return classifyBedrockError({ provider, bodyText: toUtf8(message.body), ...(errorType !== undefined ? { errorType } : {}) });
  }
  if (messageType === "error") {
    const errorType = header(message, ":error-code");
    return classifyBedrockError({
      provider,
      body: { message: header(message, ":error-message") },
      ...(errorType !== undefined ? { errorType } : {}),
    });
  }
  return invalid(provider, `event stream message of unknown type ${JSON.stringify(messageType ?? null)}`);
};

/**
 * ConverseStream messages (WIRE §5.5) as ChatEvents: text and tool-call fragments as they come,
 * then exactly one `finish` once both `messageStop` (the stop reason) and `metadata` (the
 * usage) have arrived. A tool call's index, id and name come from its `contentBlockStart`;
 * its input fragments follow as `tool-call-delta`s. An exception frame is thrown classified
 * like an HTTP error; a payload that is not a JSON object is an `invalid_response`; an end
 * before `messageStop` and `metadata` is a truncated stream (`connection`), as clients that
 * time out end streams quietly (WIRE §10.7).
 */
export function bedrockStreamEvents(messages: AsyncIterable<EventStreamMessage>, context: BedrockStreamContext): AsyncGenerator<ChatEvent, void, undefined> {
  return decodedStreamEvents(messages, new BedrockStreamDecoder(context));
}

/** What bedrockStreamEvents does, one event-stream message at a time and synchronously, for guardedStreamEvents. */
export class BedrockStreamDecoder implements StreamDecoder<EventStreamMessage> {
  readonly #context: BedrockStreamContext;
  // contentBlockIndex → position among this answer's tool calls.
  readonly #toolIndexes = new Map<number, number>();
  #stopReason: string | null | undefined;
  #usage: Usage | null | undefined;

  constructor(context: BedrockStreamContext) {
    this.#context = context;
  }

  /** One message's ChatEvents pushed onto `out`; true once the stop reason and the usage are both in (nothing after is read). Throws as bedrockStreamEvents does. */
  decode(message: EventStreamMessage, out: ChatEvent[]): boolean {
    const { provider } = this.#context;
    const messageType = header(message, ":message-type");
    if (messageType !== "event") throw failureFrom(message, messageType, provider);
    const eventType = header(message, ":event-type") ?? "";
    switch (eventType) {
      case "contentBlockStart": {
        const payload = readPayload(message, provider, eventType);
        const start = isObject(payload.start) ? payload.start : undefined;
        const toolUse = isObject(start?.toolUse) ? start.toolUse : undefined;
        if (toolUse === undefined) break;
        if (typeof toolUse.name !== "string") throw invalid(provider, "contentBlockStart toolUse has no name");
        const index = this.#toolIndexes.size;
        this.#toolIndexes.set(typeof payload.contentBlockIndex === "number" ? payload.contentBlockIndex : -1, index);
        out.push({
          type: "tool-call-delta",
          index,
          id: typeof toolUse.toolUseId === "string" && toolUse.toolUseId !== "" ? toolUse.toolUseId : `tooluse_${index}`,
          name: toolUse.name,
          argumentsDelta: "",
        });
        break;
      }
      case "contentBlockDelta": {
        const payload = readPayload(message, provider, eventType);
        const delta = isObject(payload.delta) ? payload.delta : undefined;
        if (delta === undefined) break;
        if (typeof delta.text === "string") {
          if (delta.text !== "") out.push({ type: "text-delta", text: delta.text });
        } else if (isObject(delta.reasoningContent)) {
          const { text: reasoning, signature } = delta.reasoningContent;
          if (typeof reasoning === "string" && reasoning !== "") out.push({ type: "reasoning-delta", text: reasoning });
          if (typeof signature === "string" && signature !== "") out.push({ type: "reasoning-signature", signature });
        } else if (isObject(delta.toolUse)) {
          const index = this.#toolIndexes.get(typeof payload.contentBlockIndex === "number" ? payload.contentBlockIndex : -1);
          if (index === undefined) throw invalid(provider, "tool input arrived before its contentBlockStart");
          const input = delta.toolUse.input;
          if (typeof input === "string" && input !== "") out.push({ type: "tool-call-delta", index, argumentsDelta: input });
        }
        break;
      }
      case "messageStop": {
        const payload = readPayload(message, provider, eventType);
        this.#stopReason = typeof payload.stopReason === "string" ? payload.stopReason : null;
        break;
      }
      case "metadata": {
        const payload = readPayload(message, provider, eventType);
        this.#usage = isObject(payload.usage) ? convertBedrockUsage(payload.usage) : null;
        break;
      }
      default:
        // messageStart, contentBlockStop and events added later carry nothing we report.
        break;
    }
    return this.#stopReason !== undefined && this.#usage !== undefined;
  }

  /** The messages ended: the one `finish` pushed onto `out`, or the truncated stream thrown. */
  end(out: ChatEvent[]): void {
    const { provider, model, id } = this.#context;
    const stopReason = this.#stopReason;
    const usage = this.#usage;
    if (stopReason === undefined || usage === undefined) {
      throw new ProviderError({ kind: "connection", provider, message: "stream ended before completion" });
    }
    out.push({ type: "finish", finish: mapBedrockStopReason(stopReason), usage, model, id });
  }
}
