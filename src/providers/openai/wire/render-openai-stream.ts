import type { CompletionPlan } from "../../../simulator/plan-completion.js";
import { SYSTEM_FINGERPRINT } from "./render-openai-body.js";
import type { StreamEvent } from "../../../simulator/wire/wire-format.js";
import { renderUsage } from "./render-openai-usage.js";

export interface RenderOpenAIStreamOptions {
  /** `stream_options.include_usage`: a usage chunk with `choices:[]` before `[DONE]`. */
  includeUsage: boolean;
  lineEnding: "\n" | "\r\n";
  /** Unasked, usage rides on the finish chunk, as some compatible servers send it (Mistral, Fireworks); OpenAI sends none. */
  usageOnFinishChunk?: boolean;
  /** `n`: each chunk is sent once per choice (its `index`), each choice counted in usage. */
  choices?: number;
}

/**
 * The chunks of a streamed answer (WIRE §1.4): role chunk, the planned reasoning's
 * `reasoning_content` chunks, content (or tool-call fragment) chunks, a finish chunk with an empty delta, the usage chunk with `choices:[]` when asked for,
 * then `[DONE]`. Every chunk shares the id/created prefix, so it is built once. With `n` > 1 every
 * chunk but the usage one is repeated for each choice index, as OpenAI interleaves them.
 */
export function renderOpenAIStream(plan: CompletionPlan, { includeUsage, lineEnding, usageOnFinishChunk = false, choices = 1 }: RenderOpenAIStreamOptions): StreamEvent[] {
  const end = lineEnding + lineEnding;
  const head =
    `data: {"id":"${plan.id}","object":"chat.completion.chunk","created":${plan.created},"model":${JSON.stringify(plan.model)},` +
    `"service_tier":"default","system_fingerprint":"${SYSTEM_FINGERPRINT}","choices":`;
  const tail = includeUsage ? `,"usage":null}${end}` : `}${end}`;
  const one = (index: number, delta: string, finishReason: string | null, last: string): string =>
    `${head}[{"index":${index},"delta":${delta},"logprobs":null,"finish_reason":${finishReason === null ? "null" : `"${finishReason}"`}}]${last}`;
  const chunk = (delta: string, finishReason: string | null, last = tail): string =>
    choices === 1
      ? one(0, delta, finishReason, last)
      : Array.from({ length: choices }, (_, index) => one(index, delta, finishReason, index === choices - 1 ? last : tail)).join("");

  const events: StreamEvent[] = [];
  // Planned reasoning streams first, a `reasoning_content` delta per token, as compatible servers send it.
  const reasoning = plan.reasoning?.pieces ?? [];
  const start = reasoning.length;
  let lastTick = Math.max(0, start - 1);
  if (start > 0) {
    events.push({ text: chunk(`{"role":"assistant","content":null,"reasoning_content":"","refusal":null}`, null), tick: 0 });
    reasoning.forEach((piece, i) => events.push({ text: chunk(`{"reasoning_content":${JSON.stringify(piece)}}`, null), tick: i }));
  }
  if (plan.kind === "text") {
    if (start === 0) events.push({ text: chunk(`{"role":"assistant","content":"","refusal":null}`, null), tick: 0 });
    plan.pieces.forEach((piece, i) => {
      events.push({ text: chunk(`{"content":${JSON.stringify(piece)}}`, null), tick: start + i });
      lastTick = start + i;
    });
  } else {
    const opening =
      `{${start === 0 ? `"role":"assistant",` : ""}"content":null,"tool_calls":[{"index":0,"id":"${plan.toolCallId}","type":"function",` +
      `"function":{"name":${JSON.stringify(plan.name)},"arguments":""}}],"refusal":null}`;
    events.push({ text: chunk(opening, null), tick: start });
    lastTick = start;
    plan.argumentPieces.forEach((piece, i) => {
      events.push({ text: chunk(`{"tool_calls":[{"index":0,"function":{"arguments":${JSON.stringify(piece)}}}]}`, null), tick: start + i + 1 });
      lastTick = start + i + 1;
    });
  }
  const usage = renderUsage(choices === 1 ? plan.usage : { ...plan.usage, completionTokens: plan.usage.completionTokens * choices }, reasoning.length);
  const finishTail = usageOnFinishChunk && !includeUsage ? `,"usage":${usage}}${end}` : tail;
  events.push({ text: chunk("{}", plan.finishReason, finishTail), tick: lastTick });
  if (includeUsage) events.push({ text: `${head}[],"usage":${usage}}${end}`, tick: lastTick });
  events.push({ text: `data: [DONE]${end}`, tick: lastTick });
  return events;
}
