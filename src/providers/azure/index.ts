export * from "./azure-chat-target.js";
export * from "../openai/wire/classify-azure-error.js";
export * from "./create-azure-adapter.js";
