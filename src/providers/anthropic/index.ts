export * from "./wire/anthropic-stream-events.js";
export * from "./wire/classify-anthropic-error.js";
export * from "./wire/convert-anthropic-usage.js";
export * from "./create-anthropic-adapter.js";
export * from "./wire/map-anthropic-stop-reason.js";
export * from "./wire/parse-anthropic-response.js";
export * from "./wire/read-anthropic-rate-limit-headers.js";
export * from "./wire/to-anthropic-request.js";
