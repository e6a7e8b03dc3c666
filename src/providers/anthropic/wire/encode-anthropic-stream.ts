import type { EncodedStreamEvent } from "../../http/encoded-stream-event.js";
import type { AnthropicAnswer } from "./anthropic-wire-types.js";
import { encodeAnthropicStopSequence, encodeAnthropicUsage } from "./encode-anthropic-response.js";

export interface EncodeAnthropicStreamOptions {
  lineEnding?: "\n" | "\r\n";
  /** Send a `ping` after message_start. */
  ping?: boolean;
}

/**
 * Named SSE events (WIRE §3.4): message_start (output_tokens 1), [ping], each block as
 * content_block_start / deltas / content_block_stop — thinking as thinking_delta pieces then one
 * signature_delta, text as text_delta pieces, tool input as `""` then its JSON pieces — then
 * message_delta with the stop reason and the final output count, and message_stop.
 */
export function encodeAnthropicStream(answer: AnthropicAnswer, options: EncodeAnthropicStreamOptions = {}): EncodedStreamEvent[] {
  const lineEnding = options.lineEnding ?? "\n";
  const event = (name: string, data: string): string => `event: ${name}${lineEnding}data: ${data}${lineEnding}${lineEnding}`;
  const events: EncodedStreamEvent[] = [
    {
      text: event(
        "message_start",
        `{"type":"message_start","message":{"id":${JSON.stringify(answer.id)},"type":"message","role":"assistant","content":[],` +
          `"model":${JSON.stringify(answer.model)},"stop_reason":null,"stop_sequence":null,"usage":${encodeAnthropicUsage(answer.usage, 1)}}}`,
      ),
      tick: 0,
    },
  ];
  if (options.ping === true) events.push({ text: event("ping", `{"type": "ping"}`), tick: 0 });
  // Ticks count the pieces sent so far over all blocks.
  let tick = 0;
  let lastTick = 0;
  answer.blocks.forEach((block, index) => {
    const delta = (body: string): string => event("content_block_delta", `{"type":"content_block_delta","index":${index},"delta":${body}}`);
    const start = (block_: string): string => event("content_block_start", `{"type":"content_block_start","index":${index},"content_block":${block_}}`);
    if (block.type === "thinking") {
      events.push({ text: start(`{"type":"thinking","thinking":""}`), tick });
      block.pieces.forEach((piece) => {
        lastTick = tick++;
        events.push({ text: delta(`{"type":"thinking_delta","thinking":${JSON.stringify(piece)}}`), tick: lastTick });
      });
      events.push({ text: delta(`{"type":"signature_delta","signature":${JSON.stringify(block.signature)}}`), tick: lastTick });
    } else if (block.type === "text") {
      events.push({ text: start(`{"type":"text","text":""}`), tick });
      block.pieces.forEach((piece) => {
        lastTick = tick++;
        events.push({ text: delta(`{"type":"text_delta","text":${JSON.stringify(piece)}}`), tick: lastTick });
      });
    } else {
      events.push({ text: start(`{"type":"tool_use","id":${JSON.stringify(block.id)},"name":${JSON.stringify(block.name)},"input":{}}`), tick });
      events.push({ text: delta(`{"type":"input_json_delta","partial_json":""}`), tick });
      block.inputPieces.forEach((piece) => {
        lastTick = ++tick;
        events.push({ text: delta(`{"type":"input_json_delta","partial_json":${JSON.stringify(piece)}}`), tick: lastTick });
      });
    }
    events.push({ text: event("content_block_stop", `{"type":"content_block_stop","index":${index}}`), tick: lastTick });
  });
  events.push(
    {
      text: event(
        "message_delta",
        `{"type":"message_delta","delta":{"stop_reason":"${answer.stopReason}","stop_sequence":${encodeAnthropicStopSequence(answer)}},"usage":{"output_tokens":${answer.usage.output_tokens}}}`,
      ),
      tick: lastTick,
    },
    { text: event("message_stop", `{"type":"message_stop"}`), tick: lastTick, terminal: true },
  );
  return events;
}
