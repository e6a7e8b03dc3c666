export * from "./create-openai-adapter.js";
export * from "./wire/classify-openai-error.js";
export * from "./wire/convert-openai-usage.js";
export * from "./wire/map-openai-finish-reason.js";
export * from "./wire/openai-quirks.js";
export * from "./wire/openai-stream-events.js";
export * from "./wire/parse-openai-response.js";
export * from "./wire/to-openai-request.js";
