import { GatewayError, badInput } from "../core/index.js";
import type { CallWithAttempts, CallsRepository, FeedbackRepository, FeedbackRow } from "../db/index.js";
import { checkText } from "./validate-call-fields.js";

/** Longest comment kept with a score. */
export const MAX_FEEDBACK_COMMENT = 4_000;

export interface FeedbackService {
  /**
   * Records a score for a call the caller may see (`calls` is already scoped to the caller). A call
   * answered a moment ago may still be in the call log's buffer: it is written out first.
   */
  record(
    input: { callId: string; score: number; comment?: string | null },
    caller: { calls: CallsRepository; keyId: string | null },
  ): Promise<{ call: CallWithAttempts; feedback: FeedbackRow }>;
}

export interface FeedbackServiceOptions {
  repository: FeedbackRepository;
  flushCallLog(): Promise<void>;
  /** Told of each score once it is stored (quality groups with `adapt` move their thresholds). */
  onRecorded?(call: CallWithAttempts, score: number): void;
}

export function createFeedbackService(deps: FeedbackServiceOptions): FeedbackService {
  return {
    async record({ callId, score, comment }, caller) {
      if (!Number.isFinite(score)) throw badInput("score must be a finite number", { field: "score" });
      if (comment != null) checkText(comment, "comment", MAX_FEEDBACK_COMMENT);
      let call = await caller.calls.getCall(callId);
      if (!call) {
        await deps.flushCallLog();
        call = await caller.calls.getCall(callId);
      }
      if (!call) throw new GatewayError("NOT_FOUND", `No call "${callId}"`, { callId });
      const feedback = await deps.repository.record({ callId: call.id, score, comment: comment ?? null, keyId: caller.keyId });
      deps.onRecorded?.(call, score);
      return { call, feedback };
    },
  };
}
