import type { CompletionPlan } from "../../plan-completion.js";
import type { RenderContext, StreamEvent, WireRoute } from "../wire-format.js";
import { geminiCallPart, geminiResponse } from "./render-gemini-body.js";

/** `alt=sse` asks for SSE; without it the API streams one JSON array (WIRE §4.4). */
export const isGeminiSse = (route: WireRoute): boolean => /(?:^|&)alt=sse(?:&|$)/.test(route.query);

/**
 * Data-only SSE events, each a whole GenerateContentResponse with only the new text; the last
 * carries finishReason and the full usage, and the stream simply ends (no sentinel). A function
 * call arrives whole in one chunk. Without alt=sse the same responses form a JSON array.
 */
export function renderGeminiStream(plan: CompletionPlan, { route, lineEnding }: RenderContext): StreamEvent[] {
  const sse = isGeminiSse(route);
  const frame = (json: string, first: boolean): string =>
    sse ? `data: ${json}${lineEnding}${lineEnding}` : `${first ? "[" : ",\r\n"}${json}`;
  const events: StreamEvent[] = [];
  if (plan.kind === "tool-call") {
    events.push({ text: frame(geminiResponse(plan, geminiCallPart(plan), true), true), tick: 0, terminal: true });
  } else {
    const pieces = plan.pieces.length === 0 ? [""] : plan.pieces;
    const last = pieces.length - 1;
    pieces.forEach((piece, i) => {
      const json = geminiResponse(plan, `{"text":${JSON.stringify(piece)}}`, i === last);
      events.push(i === last ? { text: frame(json, i === 0), tick: i, terminal: true } : { text: frame(json, i === 0), tick: i });
    });
  }
  if (!sse) events.push({ text: "]", tick: events.at(-1)?.tick ?? 0, terminal: true });
  return events;
}
