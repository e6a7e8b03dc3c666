import type { CallSink, Usage } from "../core/index.js";
import type { EscalatedAnswer, RouteContext } from "../routing/index.js";
import type { CallState } from "./call-state.js";
import type { PriceUsage } from "./completion-types.js";
import { escalatedCallRecord } from "./escalated-call-record.js";

export interface RoutingHooksOptions {
  callSink: CallSink;
  price: PriceUsage;
  newId(): string;
  /** Usage of an escalated stream that ended without any: the prompt estimate and the text it sent. */
  estimateUsage(promptTokens: number, textChars: number): Usage;
}

export interface RoutingHooks {
  /**
   * The router's callbacks for one call: its decision goes on the call's record, its escalated answers
   * become rows of their own and their cost is added to the call's, to be settled with it.
   */
  forCall(call: CallState, promptEstimate: number): Pick<RouteContext, "onDecision" | "onEscalation">;
}

/**
 * Quality routing and cascades, as the completion service sees them: the decision goes on the row
 * (before the tier is called, so a failed call carries it too); an escalated answer is recorded at
 * once as a call of its own, and the next call links to it through `escalatedFrom`.
 */
export function createRoutingHooks(options: RoutingHooksOptions): RoutingHooks {
  return {
    forCall(call, promptEstimate) {
      const { record } = call;
      return {
        onDecision(decision) {
          record.routing = decision;
        },
        onEscalation(answer: EscalatedAnswer) {
          const usage = answer.usage ?? options.estimateUsage(promptEstimate, answer.text.length);
          const row = escalatedCallRecord(record, answer, options.newId(), usage, options.price);
          options.callSink.record(row);
          record.escalatedFrom = row.id;
          call.escalatedCostPico += row.costPico;
          call.escalatedTokens += row.promptTokens + row.completionTokens;
        },
      };
    },
  };
}
