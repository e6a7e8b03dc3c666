import type { AssistantMessage, ToolCall } from "../../core/index.js";

/** What one content block of an answer holds, as a provider's block reader says; `undefined` skips the block. */
export type AnswerBlockReading =
  | { text: string }
  | { reasoning?: string | undefined; signature?: string | undefined }
  | { toolCall: ToolCall }
  | undefined;

/**
 * The assistant message of a non-streamed body made of content blocks (Anthropic Messages,
 * Bedrock Converse): text blocks joined into the content, reasoning blocks joined into the
 * reasoning with the last non-empty signature of any of them as `reasoningSignature` (only with reasoning), tool
 * blocks as tool calls in order. `readBlock` checks and reads one block; it is given the block's
 * index and how many tool calls came before it.
 */
export function assistantMessageFromBlocks(
  content: readonly unknown[],
  readBlock: (block: unknown, index: number, toolCallsBefore: number) => AnswerBlockReading,
): AssistantMessage {
  let text: string | null = null;
  let reasoning: string | null = null;
  let signature: string | null = null;
  const toolCalls: ToolCall[] = [];
  for (let index = 0; index < content.length; index++) {
    const reading = readBlock(content[index], index, toolCalls.length);
    if (reading === undefined) continue;
    if ("text" in reading) text = (text ?? "") + reading.text;
    else if ("toolCall" in reading) toolCalls.push(reading.toolCall);
    else {
      if (reading.reasoning !== undefined) reasoning = (reasoning ?? "") + reading.reasoning;
      if (reading.signature !== undefined && reading.signature !== "") signature = reading.signature;
    }
  }
  return {
    role: "assistant",
    content: text,
    toolCalls,
    ...(reasoning !== null ? { reasoning } : {}),
    ...(reasoning !== null && signature !== null ? { reasoningSignature: signature } : {}),
  };
}
