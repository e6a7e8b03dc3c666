import type { SimulatorFailures } from "./simulator-profile.js";

export type FailureKind = keyof SimulatorFailures;

/** The order in which the knobs claim their slice of [0,1). */
const ORDER: readonly FailureKind[] = [
  "rateLimit",
  "serverError",
  "unavailable",
  "hang",
  "reset",
  "truncate",
  "garbage",
  // Last, so profiles written before it existed draw exactly as they did.
  "midStreamError",
];

/** Maps one uniform draw to at most one failure, so each knob's probability holds exactly. */
export function drawFailure(failures: SimulatorFailures | undefined, draw: number): FailureKind | undefined {
  if (failures === undefined) return undefined;
  let threshold = 0;
  for (const kind of ORDER) {
    threshold += failures[kind] ?? 0;
    if (draw < threshold) return kind;
  }
  return undefined;
}
