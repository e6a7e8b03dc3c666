import type { EncodedStreamEvent } from "../../http/encoded-stream-event.js";
import type { BedrockAnswer } from "./bedrock-wire-types.js";
import { encodeBedrockFrame } from "./encode-bedrock-frame.js";
import { encodeBedrockUsage } from "./encode-bedrock-response.js";

const PADDING = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/**
 * ConverseStream frames (WIRE §5.5): messageStart; per block, reasoning as
 * `reasoningContent.text` deltas then one `reasoningContent.signature` delta, text as
 * contentBlockDelta frames (neither with a contentBlockStart, as the service does), a tool block
 * with contentBlockStart and input fragments; contentBlockStop; then messageStop and metadata, the
 * two only a finished stream has. Every payload carries the service's `p` padding, its length
 * varying by frame.
 */
export function encodeBedrockStream(answer: BedrockAnswer): EncodedStreamEvent[] {
  const events: EncodedStreamEvent[] = [];
  const frame = (name: string, json: string, tick: number, terminal = false): void => {
    const padded = `${json.slice(0, -1)},"p":"${PADDING.slice(0, 1 + ((events.length * 7) % PADDING.length))}"}`;
    const text = encodeBedrockFrame("event", name, padded);
    events.push(terminal ? { text, tick, terminal } : { text, tick });
  };
  frame("messageStart", `{"role":"assistant"}`, 0);
  // Ticks count the pieces sent so far over all blocks.
  let tick = 0;
  let lastTick = 0;
  answer.blocks.forEach((block, index) => {
    const delta = (body: string, at: number): void => frame("contentBlockDelta", `{"contentBlockIndex":${index},"delta":${body}}`, at);
    let blockOpen = true;
    if (block.type === "reasoning") {
      block.pieces.forEach((piece) => {
        lastTick = tick++;
        delta(`{"reasoningContent":{"text":${JSON.stringify(piece)}}}`, lastTick);
      });
      delta(`{"reasoningContent":{"signature":${JSON.stringify(block.signature)}}}`, lastTick);
    } else if (block.type === "text") {
      block.pieces.forEach((piece) => {
        lastTick = tick++;
        delta(`{"text":${JSON.stringify(piece)}}`, lastTick);
      });
      blockOpen = block.pieces.length > 0;
    } else {
      frame("contentBlockStart", `{"contentBlockIndex":${index},"start":{"toolUse":{"toolUseId":${JSON.stringify(block.toolUseId)},"name":${JSON.stringify(block.name)}}}}`, tick);
      block.inputPieces.forEach((piece) => {
        lastTick = ++tick;
        delta(`{"toolUse":{"input":${JSON.stringify(piece)}}}`, lastTick);
      });
    }
    if (blockOpen) frame("contentBlockStop", `{"contentBlockIndex":${index}}`, lastTick);
  });
  frame("messageStop", `{"stopReason":"${answer.stopReason}"}`, lastTick, true);
  frame("metadata", `{"usage":${encodeBedrockUsage(answer.usage)},"metrics":{"latencyMs":${answer.latencyMs}}}`, lastTick, true);
  return events;
}
