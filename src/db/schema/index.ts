export { calls } from "./calls.js";
export { callAttempts } from "./call-attempts.js";
export { teams } from "./teams.js";
export { virtualKeys } from "./virtual-keys.js";
export { callRollups } from "./call-rollups.js";
export { callRollupDeltas } from "./call-rollup-deltas.js";
export { attemptRollups } from "./attempt-rollups.js";
export { callFeedback } from "./call-feedback.js";
