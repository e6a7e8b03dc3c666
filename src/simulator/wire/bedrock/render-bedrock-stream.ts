import type { CompletionPlan } from "../../plan-completion.js";
import type { RenderContext, StreamEvent } from "../wire-format.js";
import { encodeBedrockFrame } from "./encode-bedrock-frame.js";
import { bedrockLatencyMs, bedrockStopReason, bedrockToolUseId, bedrockUsage } from "./render-bedrock-body.js";

const PADDING = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/**
 * ConverseStream frames (WIRE §5.5): messageStart; a text block as contentBlockDelta frames
 * (no contentBlockStart, as the service does), a tool block with contentBlockStart and input
 * fragments; contentBlockStop; then messageStop and metadata, the two only a finished stream has.
 * Every payload carries the service's `p` padding, its length varying by frame.
 */
export function renderBedrockStream(plan: CompletionPlan, context: RenderContext): StreamEvent[] {
  const events: StreamEvent[] = [];
  const frame = (name: string, json: string, tick: number, terminal = false): void => {
    const padded = `${json.slice(0, -1)},"p":"${PADDING.slice(0, 1 + ((events.length * 7) % PADDING.length))}"}`;
    const text = encodeBedrockFrame("event", name, padded);
    events.push(terminal ? { text, tick, terminal } : { text, tick });
  };
  frame("messageStart", `{"role":"assistant"}`, 0);
  let lastTick = 0;
  let blockOpen = true;
  if (plan.kind === "text") {
    plan.pieces.forEach((piece, i) => {
      frame("contentBlockDelta", `{"contentBlockIndex":0,"delta":{"text":${JSON.stringify(piece)}}}`, i);
      lastTick = i;
    });
    blockOpen = plan.pieces.length > 0;
  } else {
    frame("contentBlockStart", `{"contentBlockIndex":0,"start":{"toolUse":{"toolUseId":"${bedrockToolUseId(plan)}","name":${JSON.stringify(plan.name)}}}}`, 0);
    plan.argumentPieces.forEach((piece, i) => {
      frame("contentBlockDelta", `{"contentBlockIndex":0,"delta":{"toolUse":{"input":${JSON.stringify(piece)}}}}`, i + 1);
      lastTick = i + 1;
    });
  }
  if (blockOpen) frame("contentBlockStop", `{"contentBlockIndex":0}`, lastTick);
  frame("messageStop", `{"stopReason":"${bedrockStopReason(plan)}"}`, lastTick, true);
  frame("metadata", `{"usage":${bedrockUsage(plan.usage)},"metrics":{"latencyMs":${bedrockLatencyMs(context)}}}`, lastTick, true);
  return events;
}
