import { emptyUsage, ProviderError, type ChatResponse } from "../../../core/index.js";
import { assistantMessageFromBlocks } from "../../http/assistant-message-from-blocks.js";
import { classifyAnthropicError } from "./classify-anthropic-error.js";
import { convertAnthropicUsage } from "./convert-anthropic-usage.js";
import { mapAnthropicStopReason } from "./map-anthropic-stop-reason.js";

export interface ParseAnthropicResponseContext {
  provider: string;
  /** The model asked for, reported when the body names none. */
  model: string;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

const invalid = (provider: string, message: string): ProviderError =>
  new ProviderError({ kind: "invalid_response", provider, message: `unexpected Anthropic message body: ${message}` });

/**
 * A non-streamed Messages body (WIRE §3.3) as a ChatResponse. Text blocks are joined into the
 * content; `tool_use` blocks become tool calls with their `input` as a JSON string; thinking blocks’
 * text is the message's reasoning. Redacted thinking and server-tool blocks are skipped. A 200 carrying
 * `{"type":"error",…}` is classified like an HTTP error.
 */
export function parseAnthropicResponse(body: unknown, context: ParseAnthropicResponseContext): ChatResponse {
  const { provider } = context;
  if (!isObject(body)) throw invalid(provider, "not a JSON object");
  if (body.type === "error" || isObject(body.error)) throw classifyAnthropicError({ provider, body });
  const content = body.content;
  if (!Array.isArray(content)) throw invalid(provider, "content is not a list");

  const message = assistantMessageFromBlocks(content, (block, index) => {
    if (!isObject(block)) throw invalid(provider, `content[${index}] is not an object`);
    if (block.type === "text") {
      if (typeof block.text !== "string") throw invalid(provider, `content[${index}].text is not a string`);
      return { text: block.text };
    }
    if (block.type === "thinking") {
      return {
        reasoning: typeof block.thinking === "string" ? block.thinking : undefined,
        signature: typeof block.signature === "string" ? block.signature : undefined,
      };
    }
    if (block.type === "tool_use") {
      if (typeof block.name !== "string") throw invalid(provider, `content[${index}].name is missing`);
      const id = typeof block.id === "string" && block.id !== "" ? block.id : `toolu_${index}`;
      return { toolCall: { id, name: block.name, arguments: JSON.stringify(block.input ?? {}) } };
    }
    return undefined;
  });

  const stopReason = body.stop_reason;
  return {
    id: typeof body.id === "string" ? body.id : "",
    model: typeof body.model === "string" && body.model !== "" ? body.model : context.model,
    message,
    finish: mapAnthropicStopReason(typeof stopReason === "string" ? stopReason : null),
    usage: isObject(body.usage) ? convertAnthropicUsage(body.usage) : emptyUsage(),
  };
}
