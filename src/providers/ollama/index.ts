export * from "./create-ollama-adapter.js";
export * from "./wire/classify-ollama-error.js";
export * from "./wire/convert-ollama-usage.js";
export * from "./wire/map-ollama-finish-reason.js";
export * from "./wire/ollama-stream-events.js";
export * from "./wire/parse-ollama-response.js";
export * from "./wire/read-ollama-tool-call.js";
export * from "./wire/to-ollama-request.js";
