export * from "./tracing.js";
export * from "./create-otel-tracing.js";
export * from "./start-trace-export.js";
