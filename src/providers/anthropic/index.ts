export * from "./anthropic-stream-events.js";
export * from "./classify-anthropic-error.js";
export * from "./convert-anthropic-usage.js";
export * from "./create-anthropic-adapter.js";
export * from "./map-anthropic-stop-reason.js";
export * from "./parse-anthropic-response.js";
export * from "./read-anthropic-rate-limit-headers.js";
export * from "./to-anthropic-request.js";
