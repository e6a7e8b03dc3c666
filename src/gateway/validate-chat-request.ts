import { badInput, type ChatRequest } from "../core/index.js";

/** Rejects requests no provider could serve, with a message that names the field. */
export function validateChatRequest(request: ChatRequest): void {
  if (!request.model) throw badInput("model: required");
  if (request.messages.length === 0) throw badInput("messages: at least one message is required", { field: "messages" });
  request.messages.forEach((message, i) => {
    if (message.role === "tool" && !message.toolCallId) {
      throw badInput(`messages[${i}].toolCallId: a TOOL message must name the call it answers`, { field: `messages[${i}].toolCallId` });
    }
    if (message.role !== "assistant" && (message.content === null || message.content === undefined)) {
      throw badInput(`messages[${i}].content: required for role ${message.role.toUpperCase()}`, { field: `messages[${i}].content` });
    }
    if (message.role === "assistant" && message.content == null && !message.toolCalls?.length) {
      throw badInput(`messages[${i}]: an ASSISTANT message needs content or toolCalls`, { field: `messages[${i}]` });
    }
  });
  if (request.temperature !== undefined && !(request.temperature >= 0 && request.temperature <= 2)) {
    throw badInput("temperature: must be between 0 and 2", { field: "temperature" });
  }
  if (request.topP !== undefined && !(request.topP >= 0 && request.topP <= 1)) {
    throw badInput("topP: must be between 0 and 1", { field: "topP" });
  }
  if (request.maxTokens !== undefined && !(Number.isInteger(request.maxTokens) && request.maxTokens > 0)) {
    throw badInput("maxTokens: must be a positive integer", { field: "maxTokens" });
  }
  if (request.n !== undefined && !(Number.isInteger(request.n) && request.n >= 1 && request.n <= 128)) {
    throw badInput("n: must be an integer from 1 to 128", { field: "n", param: "n" });
  }
  if (request.stop && request.stop.length > 4) throw badInput("stop: at most 4 sequences", { field: "stop" });
  if (typeof request.toolChoice === "object" && !request.tools?.some((tool) => tool.name === (request.toolChoice as { name: string }).name)) {
    throw badInput(`toolChoice: no tool named "${request.toolChoice.name}"`, { field: "toolChoice" });
  }
}
