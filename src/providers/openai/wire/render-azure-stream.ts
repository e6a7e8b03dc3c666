import type { CompletionPlan } from "../../../simulator/plan-completion.js";
import { SYSTEM_FINGERPRINT } from "./render-openai-body.js";
import { renderUsage } from "./render-openai-usage.js";
import type { StreamEvent } from "../../../simulator/wire/wire-format.js";
import type { RenderOpenAIStreamOptions } from "./render-openai-stream.js";
import { SAFE_COMPLETION_FILTER, SAFE_PROMPT_FILTER_RESULTS } from "./content-filter-results.js";

/**
 * Azure's stream (WIRE §2): first a filter-only chunk with empty identity fields and no
 * choices, then OpenAI's chunks with `content_filter_results` in each choice (keys in the
 * alphabetical order Azure sends), the usage chunk when asked for, and `[DONE]`.
 */
export function renderAzureStream(plan: CompletionPlan, { includeUsage, lineEnding }: RenderOpenAIStreamOptions): StreamEvent[] {
  const end = lineEnding + lineEnding;
  const tail =
    `,"created":${plan.created},"id":"${plan.id}","model":${JSON.stringify(plan.model)},"object":"chat.completion.chunk",` +
    `"system_fingerprint":"${SYSTEM_FINGERPRINT}"${includeUsage ? `,"usage":null` : ""}}${end}`;
  const chunk = (filter: string, delta: string, finishReason: string | null): string =>
    `data: {"choices":[{"content_filter_results":${filter},"delta":${delta},"finish_reason":${finishReason === null ? "null" : `"${finishReason}"`},` +
    `"index":0,"logprobs":null}]${tail}`;

  const events: StreamEvent[] = [
    { text: `data: {"choices":[],"created":0,"id":"","model":"","object":"","prompt_filter_results":${SAFE_PROMPT_FILTER_RESULTS}}${end}`, tick: 0 },
  ];
  let lastTick = 0;
  if (plan.kind === "text") {
    events.push({ text: chunk("{}", `{"content":"","refusal":null,"role":"assistant"}`, null), tick: 0 });
    plan.pieces.forEach((piece, i) => {
      events.push({ text: chunk(SAFE_COMPLETION_FILTER, `{"content":${JSON.stringify(piece)}}`, null), tick: i });
      lastTick = i;
    });
  } else {
    const opening =
      `{"content":null,"refusal":null,"role":"assistant","tool_calls":[{"function":{"arguments":"","name":${JSON.stringify(plan.name)}},` +
      `"id":"${plan.toolCallId}","index":0,"type":"function"}]}`;
    events.push({ text: chunk("{}", opening, null), tick: 0 });
    plan.argumentPieces.forEach((piece, i) => {
      events.push({ text: chunk("{}", `{"tool_calls":[{"function":{"arguments":${JSON.stringify(piece)}},"index":0}]}`, null), tick: i + 1 });
      lastTick = i + 1;
    });
  }
  events.push({ text: chunk("{}", "{}", plan.finishReason), tick: lastTick });
  if (includeUsage) {
    const usage =
      `data: {"choices":[],"created":${plan.created},"id":"${plan.id}","model":${JSON.stringify(plan.model)},"object":"chat.completion.chunk",` +
      `"system_fingerprint":"${SYSTEM_FINGERPRINT}","usage":${renderUsage(plan.usage, plan.reasoning?.pieces.length)}}${end}`;
    events.push({ text: usage, tick: lastTick });
  }
  events.push({ text: `data: [DONE]${end}`, tick: lastTick, terminal: true });
  return events;
}
