export * from "./model-group.js";
export * from "./attempt.js";
export * from "./all-deployments-failed-error.js";
export * from "./create-router.js";
export * from "./health/health-types.js";
export * from "./health/create-health-tracker.js";
export * from "./strategies/index.js";
export * from "./backoff-delay.js";
