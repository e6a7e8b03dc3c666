export * from "./chat-request.js";
export * from "./chat-response.js";
export * from "./chat-event.js";
export * from "./provider-error.js";
export * from "./gateway-error.js";
export * from "./ids.js";
export * from "./call-record.js";
export * from "./describe-error.js";
