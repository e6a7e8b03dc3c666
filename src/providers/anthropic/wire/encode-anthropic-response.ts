import type { AnthropicAnswer, AnthropicAnswerBlock, AnthropicUsage } from "./anthropic-wire-types.js";

/** `usage` as Anthropic writes it; `output_tokens` replaced when given (message_start reports 1). */
export function encodeAnthropicUsage(usage: AnthropicUsage, outputTokens = usage.output_tokens): string {
  return (
    `{"input_tokens":${usage.input_tokens},"cache_creation_input_tokens":${usage.cache_creation_input_tokens},"cache_read_input_tokens":${usage.cache_read_input_tokens},` +
    `"output_tokens":${outputTokens},"service_tier":"standard"}`
  );
}

/** `stop_sequence`'s JSON: the string with `stop_sequence`, else null. */
export const encodeAnthropicStopSequence = (answer: AnthropicAnswer): string =>
  answer.stopSequence !== undefined ? JSON.stringify(answer.stopSequence) : "null";

function encodeBlock(block: AnthropicAnswerBlock): string {
  if (block.type === "thinking") {
    return `{"type":"thinking","thinking":${JSON.stringify(block.pieces.join(""))},"signature":${JSON.stringify(block.signature)}}`;
  }
  if (block.type === "text") return `{"type":"text","text":${JSON.stringify(block.pieces.join(""))}}`;
  const input = block.inputPieces.join("");
  return `{"type":"tool_use","id":${JSON.stringify(block.id)},"name":${JSON.stringify(block.name)},"input":${input === "" ? "{}" : input}}`;
}

/** A non-streaming `message` (WIRE §3.3). */
export function encodeAnthropicResponse(answer: AnthropicAnswer): string {
  return (
    `{"id":${JSON.stringify(answer.id)},"type":"message","role":"assistant","model":${JSON.stringify(answer.model)},"content":[${answer.blocks.map(encodeBlock).join(",")}],` +
    `"stop_reason":"${answer.stopReason}","stop_sequence":${encodeAnthropicStopSequence(answer)},"usage":${encodeAnthropicUsage(answer.usage)}}`
  );
}

/** A 200 body that starts like a message and stops being JSON. */
export function encodeAnthropicGarbageResponse(id: string): string {
  return `{"id":"${id}","type":"message","role":"assistant","content":[{"type":"te<<garbage>>`;
}
