import { type CompletionPlan, toolCallKey } from "../../plan-completion.js";
import type { RenderContext, StreamEvent } from "../wire-format.js";
import { anthropicMessageId, anthropicStopReason, anthropicUsage } from "./render-anthropic-body.js";

/** Named SSE events (WIRE §3.4): message_start, [ping], one content block, message_delta, message_stop. */
export function renderAnthropicStream(plan: CompletionPlan, { lineEnding, keepAlive }: RenderContext): StreamEvent[] {
  const event = (name: string, data: string): string => `event: ${name}${lineEnding}data: ${data}${lineEnding}${lineEnding}`;
  const delta = (body: string): string => event("content_block_delta", `{"type":"content_block_delta","index":0,"delta":${body}}`);
  const events: StreamEvent[] = [
    {
      text: event(
        "message_start",
        `{"type":"message_start","message":{"id":"${anthropicMessageId(plan)}","type":"message","role":"assistant","content":[],` +
          `"model":${JSON.stringify(plan.model)},"stop_reason":null,"stop_sequence":null,"usage":${anthropicUsage(plan.usage, 1)}}}`,
      ),
      tick: 0,
    },
  ];
  if (keepAlive) events.push({ text: event("ping", `{"type": "ping"}`), tick: 0 });
  let lastTick = 0;
  if (plan.kind === "text") {
    events.push({ text: event("content_block_start", `{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}`), tick: 0 });
    plan.pieces.forEach((piece, i) => {
      events.push({ text: delta(`{"type":"text_delta","text":${JSON.stringify(piece)}}`), tick: i });
      lastTick = i;
    });
  } else {
    const start = `{"type":"tool_use","id":"toolu_${toolCallKey(plan)}","name":${JSON.stringify(plan.name)},"input":{}}`;
    events.push({ text: event("content_block_start", `{"type":"content_block_start","index":0,"content_block":${start}}`), tick: 0 });
    events.push({ text: delta(`{"type":"input_json_delta","partial_json":""}`), tick: 0 });
    plan.argumentPieces.forEach((piece, i) => {
      events.push({ text: delta(`{"type":"input_json_delta","partial_json":${JSON.stringify(piece)}}`), tick: i + 1 });
      lastTick = i + 1;
    });
  }
  const { reason, sequence } = anthropicStopReason(plan);
  events.push(
    { text: event("content_block_stop", `{"type":"content_block_stop","index":0}`), tick: lastTick },
    {
      text: event(
        "message_delta",
        `{"type":"message_delta","delta":{"stop_reason":"${reason}","stop_sequence":${sequence}},"usage":{"output_tokens":${plan.usage.completionTokens}}}`,
      ),
      tick: lastTick,
    },
    { text: event("message_stop", `{"type":"message_stop"}`), tick: lastTick, terminal: true },
  );
  return events;
}
