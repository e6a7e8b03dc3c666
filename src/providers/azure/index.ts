export * from "./azure-chat-target.js";
export * from "./classify-azure-error.js";
export * from "./create-azure-adapter.js";
