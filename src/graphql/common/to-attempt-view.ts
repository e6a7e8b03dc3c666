import type { AttemptRecord } from "../../core/index.js";
import { picoToUsd } from "./pico-to-usd.js";
import { AttemptView } from "./attempt.type.js";
import type { AttemptOutcome } from "./enums.js";

/** Filled field by field (the class declares every field, in this order): no second object per attempt. */
export function toAttemptView(attempt: AttemptRecord): AttemptView {
  const view = new AttemptView();
  view.index = attempt.index;
  view.modelGroup = attempt.modelGroup;
  view.deployment = attempt.deployment;
  view.provider = attempt.provider;
  view.providerModel = attempt.providerModel;
  view.outcome = attempt.outcome as AttemptOutcome;
  view.errorClass = attempt.errorKind;
  view.errorMessage = attempt.errorMessage;
  view.httpStatus = attempt.httpStatus;
  view.startedAt = attempt.startedAt;
  view.latencyMs = attempt.latencyMs;
  view.hedged = attempt.hedged;
  view.costUsd = picoToUsd(attempt.costPico);
  return view;
}
