import { badInput, type ChatRequest, type ContentPart, type MessageContent, type ResponseFormat, type ToolChoice } from "../../core/index.js";
import { ResponseFormatType } from "../common/enums.js";
import type { CompletionInput, MessageInput } from "./completion.input.js";

/** GraphQL input → the unified request. */
export function toChatRequest(input: CompletionInput): ChatRequest {
  const request: ChatRequest = {
    model: input.model,
    messages: input.messages.map((message, i) => ({
      role: message.role,
      content: contentOf(message, i),
      ...(message.toolCalls?.length ? { toolCalls: message.toolCalls.map((c) => ({ id: c.id, name: c.name, arguments: c.arguments })) } : {}),
      ...(message.toolCallId ? { toolCallId: message.toolCallId } : {}),
      ...(message.name ? { name: message.name } : {}),
    })),
  };
  if (input.temperature != null) request.temperature = input.temperature;
  if (input.topP != null) request.topP = input.topP;
  if (input.maxTokens != null) request.maxTokens = input.maxTokens;
  if (input.stop?.length) request.stop = input.stop;
  if (input.tools?.length) {
    request.tools = input.tools.map((tool) => ({
      name: tool.name,
      ...(tool.description ? { description: tool.description } : {}),
      ...(tool.parameters ? { parameters: tool.parameters } : {}),
    }));
  }
  if (input.toolChoice) request.toolChoice = toToolChoice(input.toolChoice);
  if (input.responseFormat) request.responseFormat = toResponseFormat(input.responseFormat);
  if (input.user) request.user = input.user;
  if (input.reasoningEffort) request.reasoning = { effort: input.reasoningEffort };
  return request;
}

/** `content`, or `parts` (each exactly one of text and imageUrl); not both. */
function contentOf(message: MessageInput, i: number): MessageContent {
  if (message.parts == null) return message.content ?? null;
  if (message.content != null) throw badInput(`messages[${i}]: give content or parts, not both`, { field: `messages[${i}].parts` });
  return message.parts.map((part, j): ContentPart => {
    const field = `messages[${i}].parts[${j}]`;
    if ((part.text == null) === (part.imageUrl == null)) throw badInput(`${field}: give exactly one of text and imageUrl`, { field });
    if (part.text != null) return { type: "text", text: part.text };
    if (!/^(https?:\/\/|data:)/.test(part.imageUrl!)) throw badInput(`${field}.imageUrl: must be an http(s) URL or a data: URL`, { field: `${field}.imageUrl` });
    return { type: "image", url: part.imageUrl!, ...(part.detail != null ? { detail: part.detail } : {}) };
  });
}

function toToolChoice(choice: string): ToolChoice {
  return choice === "auto" || choice === "none" || choice === "required" ? choice : { name: choice };
}

function toResponseFormat(format: NonNullable<CompletionInput["responseFormat"]>): ResponseFormat {
  if (format.type === ResponseFormatType.JSON_SCHEMA) {
    return { type: "json_schema", name: format.name ?? "response", schema: format.schema ?? {}, ...(format.strict != null ? { strict: format.strict } : {}) };
  }
  return { type: format.type === ResponseFormatType.JSON_OBJECT ? "json_object" : "text" };
}
