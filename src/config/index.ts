export * from "./config-schema.js";
export * from "./config-error.js";
export * from "./load-config.js";
export * from "./read-runtime-settings.js";
export * from "./read-telemetry-settings.js";
