import { ProviderError, type ChatEvent } from "../../../core/index.js";
import { invalidStreamData } from "../../http/invalid-stream-data.js";
import type { SseEvent } from "../../http/sse-events.js";
import { decodedStreamEvents, type StreamDecoder } from "../../http/stream-frames.js";
import { classifyAnthropicError } from "./classify-anthropic-error.js";
import { convertAnthropicUsage } from "./convert-anthropic-usage.js";
import { mapAnthropicStopReason } from "./map-anthropic-stop-reason.js";

export interface AnthropicStreamContext {
  provider: string;
  /** The model asked for, reported when `message_start` names none. */
  model: string;
}

type Json = Record<string, unknown>;

interface ToolBlock {
  /** Position among this answer's tool calls, which is what ChatEvent's `index` means. */
  index: number;
  /** `input` as `content_block_start` gave it; used when no `input_json_delta` follows. */
  input: unknown;
  sentArguments: boolean;
}

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/** Later usage values (message_delta's cumulative output_tokens, repeated input fields) replace earlier ones. */
const mergeUsage = (into: Json | undefined, usage: unknown): Json | undefined => {
  if (!isObject(usage)) return into;
  const merged: Json = { ...into };
  for (const [key, value] of Object.entries(usage)) if (typeof value === "number") merged[key] = value;
  return merged;
};

/**
 * Anthropic's named SSE events (WIRE §3.4) as ChatEvents: text and tool-call fragments as they
 * come, then exactly one `finish` at `message_stop`. A tool call's first fragment (at
 * `content_block_start`) carries its id and name with empty arguments; a call whose arguments
 * never stream gets `{}` at `content_block_stop`, matching what a non-streamed answer reports.
 * Thinking deltas are reasoning deltas; signatures, redacted thinking and server-tool blocks are
 * skipped, as are `ping` and unknown events. `event: error`
 * is thrown classified like an HTTP error; an unparsable event is an `invalid_response`; an end
 * without `message_stop` is a truncated stream (`connection`).
 */
export function anthropicStreamEvents(events: AsyncIterable<SseEvent>, context: AnthropicStreamContext): AsyncGenerator<ChatEvent, void, undefined> {
  return decodedStreamEvents(events, new AnthropicStreamDecoder(context));
}

/** What anthropicStreamEvents does, one SSE event at a time and synchronously (as OpenAIStreamDecoder; guarded-stream-events.ts). */
export class AnthropicStreamDecoder implements StreamDecoder<SseEvent> {
  readonly #context: AnthropicStreamContext;
  #id = "";
  #model = "";
  #stopReason: string | undefined;
  #usage: Json | undefined;
  #done = false;
  readonly #toolBlocks = new Map<number, ToolBlock>();

  constructor(context: AnthropicStreamContext) {
    this.#context = context;
  }

  /** One SSE event's ChatEvents pushed onto `out`; true at `message_stop` (nothing after it is read). Throws as anthropicStreamEvents does. */
  decode(event: SseEvent, out: ChatEvent[]): boolean {
    const { provider } = this.#context;
    const toolBlocks = this.#toolBlocks;
    const text = event.data;
    if (text === "" && event.event !== "error") return false;
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      if (event.event === "error") throw classifyAnthropicError({ provider, bodyText: text });
      throw invalidStreamData(provider, "stream event is not JSON", text, error);
    }
    if (!isObject(data)) throw invalidStreamData(provider, "stream event is not a JSON object", text);
    const type = typeof data.type === "string" ? data.type : event.event;
    const blockIndex = typeof data.index === "number" ? data.index : undefined;

    if (type === "message_start") {
      const message = data.message;
      if (isObject(message)) {
        if (typeof message.id === "string") this.#id = message.id;
        if (typeof message.model === "string") this.#model = message.model;
        this.#usage = mergeUsage(this.#usage, message.usage);
      }
    } else if (type === "content_block_start") {
      const block = data.content_block;
      if (!isObject(block)) throw invalidStreamData(provider, "content_block_start without content_block", text);
      if (block.type === "text") {
        if (typeof block.text === "string" && block.text !== "") out.push({ type: "text-delta", text: block.text });
      } else if (block.type === "tool_use") {
        if (blockIndex === undefined || typeof block.id !== "string" || typeof block.name !== "string") {
          throw invalidStreamData(provider, "tool_use block without index, id or name", text);
        }
        const tool: ToolBlock = { index: toolBlocks.size, input: block.input, sentArguments: false };
        toolBlocks.set(blockIndex, tool);
        out.push({ type: "tool-call-delta", index: tool.index, id: block.id, name: block.name, argumentsDelta: "" });
      }
    } else if (type === "content_block_delta") {
      const delta = data.delta;
      if (!isObject(delta)) throw invalidStreamData(provider, "content_block_delta without delta", text);
      if (delta.type === "text_delta") {
        if (typeof delta.text === "string" && delta.text !== "") out.push({ type: "text-delta", text: delta.text });
      } else if (delta.type === "thinking_delta") {
        if (typeof delta.thinking === "string" && delta.thinking !== "") out.push({ type: "reasoning-delta", text: delta.thinking });
      } else if (delta.type === "signature_delta") {
        if (typeof delta.signature === "string" && delta.signature !== "") out.push({ type: "reasoning-signature", signature: delta.signature });
      } else if (delta.type === "input_json_delta") {
        // Server-tool blocks stream their input too; only our own tool calls are reported.
        const tool = blockIndex !== undefined ? toolBlocks.get(blockIndex) : undefined;
        const fragment = delta.partial_json;
        if (tool !== undefined && typeof fragment === "string" && fragment !== "") {
          tool.sentArguments = true;
          out.push({ type: "tool-call-delta", index: tool.index, argumentsDelta: fragment });
        }
      }
    } else if (type === "content_block_stop") {
      const tool = blockIndex !== undefined ? toolBlocks.get(blockIndex) : undefined;
      if (tool !== undefined && !tool.sentArguments) {
        tool.sentArguments = true;
        out.push({ type: "tool-call-delta", index: tool.index, argumentsDelta: JSON.stringify(isObject(tool.input) ? tool.input : {}) });
      }
    } else if (type === "message_delta") {
      const delta = data.delta;
      if (isObject(delta) && typeof delta.stop_reason === "string") this.#stopReason = delta.stop_reason;
      this.#usage = mergeUsage(this.#usage, data.usage);
    } else if (type === "message_stop") {
      this.#done = true;
      return true;
    } else if (type === "error") {
      throw classifyAnthropicError({ provider, body: data, bodyText: text });
    }
    return false;
  }

  /** The events ended: the one `finish` pushed onto `out`, or, without `message_stop`, the truncated stream thrown. */
  end(out: ChatEvent[]): void {
    if (!this.#done) throw new ProviderError({ kind: "connection", provider: this.#context.provider, message: "stream ended before completion" });
    out.push({
      type: "finish",
      finish: mapAnthropicStopReason(this.#stopReason),
      usage: this.#usage !== undefined ? convertAnthropicUsage(this.#usage) : null,
      model: this.#model !== "" ? this.#model : this.#context.model,
      id: this.#id,
    });
  }
}
