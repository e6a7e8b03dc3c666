import { badInput, REASONING_EFFORTS, type ReasoningEffort } from "../core/index.js";

/** A door's reasoning-effort field (`reasoning_effort`, `reasoning.effort`): one of the levels, or absent. */
export function readReasoningEffort(value: unknown, param: string): ReasoningEffort | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || !REASONING_EFFORTS.includes(value as ReasoningEffort)) {
    throw badInput(`${param}: must be one of ${REASONING_EFFORTS.join(", ")}`, { param });
  }
  return value as ReasoningEffort;
}
