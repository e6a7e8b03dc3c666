export * from "./classify-ollama-error.js";
export * from "./convert-ollama-usage.js";
export * from "./create-ollama-adapter.js";
export * from "./map-ollama-finish-reason.js";
export * from "./ollama-stream-events.js";
export * from "./parse-ollama-response.js";
export * from "./read-ollama-tool-call.js";
export * from "./to-ollama-request.js";
