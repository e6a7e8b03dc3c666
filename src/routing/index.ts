export * from "./model-group.js";
export * from "./attempt.js";
export * from "./all-deployments-failed-error.js";
export * from "./create-router.js";
export * from "./pick-weighted.js";
export * from "./backoff-delay.js";
