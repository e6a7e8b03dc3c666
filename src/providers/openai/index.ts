export * from "./classify-openai-error.js";
export * from "./convert-openai-usage.js";
export * from "./create-openai-adapter.js";
export * from "./map-openai-finish-reason.js";
export * from "./openai-quirks.js";
export * from "./openai-stream-events.js";
export * from "./parse-openai-response.js";
export * from "./to-openai-request.js";
