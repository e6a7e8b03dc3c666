import type { CallRecord, CallSink, Usage } from "../core/index.js";
import type { EscalatedAnswer, RouteContext } from "../routing/index.js";
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
  /** The router's callbacks for one call: its decision goes on `record`, its escalated answers become rows of their own. */
  forCall(record: CallRecord, promptEstimate: number): Pick<RouteContext, "onDecision" | "onEscalation">;
  /** What the call's escalated answers cost: settled with the call, so the budget equals the sum of the rows. */
  escalatedSpend(record: CallRecord): { costPico: bigint; tokens: number };
}

/**
 * Quality routing and cascades, as the completion service sees them: the decision goes on the row
 * (before the tier is called, so a failed call carries it too); an escalated answer is recorded at
 * once as a call of its own, and the next call links to it through `escalatedFrom`.
 */
export function createRoutingHooks(options: RoutingHooksOptions): RoutingHooks {
  const spent = new WeakMap<CallRecord, { costPico: bigint; tokens: number }>();
  return {
    forCall(record, promptEstimate) {
      return {
        onDecision(decision) {
          record.routing = decision;
        },
        onEscalation(answer: EscalatedAnswer) {
          const usage = answer.usage ?? options.estimateUsage(promptEstimate, answer.text.length);
          const row = escalatedCallRecord(record, answer, options.newId(), usage, options.price);
          options.callSink.record(row);
          record.escalatedFrom = row.id;
          const earlier = spent.get(record) ?? { costPico: 0n, tokens: 0 };
          spent.set(record, { costPico: earlier.costPico + row.costPico, tokens: earlier.tokens + row.promptTokens + row.completionTokens });
        },
      };
    },
    escalatedSpend: (record) => spent.get(record) ?? { costPico: 0n, tokens: 0 },
  };
}
