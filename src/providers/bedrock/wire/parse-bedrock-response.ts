import { emptyUsage, ProviderError, type ChatResponse, type ToolCall } from "../../../core/index.js";
import { assistantMessageFromBlocks } from "../../http/assistant-message-from-blocks.js";
import { convertBedrockUsage } from "./convert-bedrock-usage.js";
import { mapBedrockStopReason } from "./map-bedrock-stop-reason.js";

export interface ParseBedrockResponseContext {
  provider: string;
  /** Converse bodies name no model: the one asked for is reported. */
  model: string;
  /** Converse bodies carry no id: the `x-amzn-requestid` header stands in. */
  id: string;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null;

const invalid = (provider: string, message: string): ProviderError =>
  new ProviderError({ kind: "invalid_response", provider, message: `unexpected Converse body: ${message}` });

const readToolUse = (value: unknown, index: number, provider: string): ToolCall => {
  if (!isObject(value) || typeof value.name !== "string") throw invalid(provider, `content toolUse #${index} has no name`);
  return {
    id: typeof value.toolUseId === "string" && value.toolUseId !== "" ? value.toolUseId : `tooluse_${index}`,
    name: value.name,
    arguments: JSON.stringify(value.input ?? {}),
  };
};

/**
 * A Converse response body (WIRE §5.3) as a ChatResponse: text blocks joined, `toolUse`
 * blocks as tool calls with their `input` re-encoded as an arguments string, reasoning text as
 * the message's reasoning and its signature as `reasoningSignature` (sent back on the next turn).
 * Other blocks (redacted reasoning, citations, images) are skipped. Only the fields read are checked.
 */
export function parseBedrockResponse(body: unknown, context: ParseBedrockResponseContext): ChatResponse {
  const { provider } = context;
  if (!isObject(body)) throw invalid(provider, "not a JSON object");
  const output = body.output;
  const message = isObject(output) ? output.message : undefined;
  if (!isObject(message)) throw invalid(provider, "output.message is missing");
  const content = message.content;
  if (!Array.isArray(content)) throw invalid(provider, "output.message.content is not a list");

  const answer = assistantMessageFromBlocks(content, (block, _index, toolCallsBefore) => {
    if (!isObject(block)) throw invalid(provider, "a content block is not an object");
    if (typeof block.text === "string") return { text: block.text };
    // `reasoningContent.reasoningText` (Claude and other reasoning models): its text and signature; redacted reasoning is skipped.
    const reasoning = isObject(block.reasoningContent) ? block.reasoningContent.reasoningText : undefined;
    if (isObject(reasoning) && typeof reasoning.text === "string") {
      return { reasoning: reasoning.text, signature: typeof reasoning.signature === "string" ? reasoning.signature : undefined };
    }
    if (block.toolUse !== undefined) return { toolCall: readToolUse(block.toolUse, toolCallsBefore, provider) };
    return undefined;
  });
  const stopReason = body.stopReason;
  return {
    id: context.id,
    model: context.model,
    message: answer,
    finish: mapBedrockStopReason(typeof stopReason === "string" ? stopReason : null),
    usage: isObject(body.usage) ? convertBedrockUsage(body.usage) : emptyUsage(),
  };
}
