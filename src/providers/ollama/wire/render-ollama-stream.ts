import type { CompletionPlan } from "../../../simulator/plan-completion.js";
import type { StreamEvent } from "../../../simulator/wire/wire-format.js";
import { ollamaDoneFields, ollamaHead, ollamaToolCalls, type OllamaTiming } from "./render-ollama-body.js";

/** NDJSON: a line per token (the planned reasoning first, in `thinking`; a tool call whole in one line), then the `done:true` line. */
export function renderOllamaStream(plan: CompletionPlan, context: OllamaTiming): StreamEvent[] {
  const start = ollamaHead(plan, context.nowMs);
  const events: StreamEvent[] = [];
  const reasoning = plan.reasoning?.pieces ?? [];
  const first = reasoning.length;
  reasoning.forEach((piece, i) => events.push({ text: `${start}"","thinking":${JSON.stringify(piece)}},"done":false}\n`, tick: i }));
  let lastTick = Math.max(0, first - 1);
  if (plan.kind === "text") {
    plan.pieces.forEach((piece, i) => {
      events.push({ text: `${start}${JSON.stringify(piece)}},"done":false}\n`, tick: first + i });
      lastTick = first + i;
    });
  } else {
    events.push({ text: `${start}"",${ollamaToolCalls(plan)}},"done":false}\n`, tick: first });
    lastTick = first;
  }
  events.push({ text: `${start}""},${ollamaDoneFields(plan, context)}}\n`, tick: lastTick, terminal: true });
  return events;
}
