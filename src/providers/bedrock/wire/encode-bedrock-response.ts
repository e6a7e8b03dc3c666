import type { BedrockAnswer, BedrockAnswerBlock, BedrockUsage } from "./bedrock-wire-types.js";

/** `usage` as Converse writes it: input + cacheRead + cacheWrite = the prompt, and `totalTokens` adds the output (WIRE §8.3). */
export function encodeBedrockUsage({ inputTokens, outputTokens, cacheReadInputTokens, cacheWriteInputTokens }: BedrockUsage): string {
  const promptTokens = inputTokens + cacheReadInputTokens + cacheWriteInputTokens;
  return (
    `{"inputTokens":${inputTokens},"outputTokens":${outputTokens},"totalTokens":${promptTokens + outputTokens},` +
    `"cacheReadInputTokens":${cacheReadInputTokens},"cacheWriteInputTokens":${cacheWriteInputTokens}}`
  );
}

function encodeBlock(block: BedrockAnswerBlock): string {
  if (block.type === "reasoning") {
    return `{"reasoningContent":{"reasoningText":{"text":${JSON.stringify(block.pieces.join(""))},"signature":${JSON.stringify(block.signature)}}}}`;
  }
  if (block.type === "text") return `{"text":${JSON.stringify(block.pieces.join(""))}}`;
  const input = block.inputPieces.join("");
  return `{"toolUse":{"toolUseId":${JSON.stringify(block.toolUseId)},"name":${JSON.stringify(block.name)},"input":${input === "" ? "{}" : input}}}`;
}

/** A non-streaming Converse answer (WIRE §5.3). */
export function encodeBedrockResponse(answer: BedrockAnswer): string {
  return (
    `{"output":{"message":{"role":"assistant","content":[${answer.blocks.map(encodeBlock).join(",")}]}},"stopReason":"${answer.stopReason}",` +
    `"usage":${encodeBedrockUsage(answer.usage)},"metrics":{"latencyMs":${answer.latencyMs}}}`
  );
}

/** A 200 body that starts like a Converse answer and stops being JSON. */
export function encodeBedrockGarbageResponse(): string {
  return `{"output":{"message":{"role":"assistant","content":[{"te<<garbage>>`;
}
