import { badInput, type ChatMessage, type ContentPart, type MessageContent, type ChatRequest, type ResponseFormat, type ToolChoice, type ToolDefinition } from "../../core/index.js";
import { REQUEST_LIMITS } from "../../gateway/request-limits.js";
import { checkDepth } from "../../gateway/validate-call-fields.js";
import { readReasoningEffort } from "../read-reasoning-effort.js";

/** A `POST /v1/responses` body, read: what becomes the unified request, and what the door itself keeps. */
export interface ResponsesTurn {
  model: string;
  instructions: string | null;
  /** This turn's input, in the unified shape (added to the stored conversation). */
  input: ChatMessage[];
  /** Everything of the unified request but its model and messages. */
  options: Omit<ChatRequest, "model" | "messages">;
  stream: boolean;
  store: boolean;
  previousResponseId: string | null;
  metadata: Record<string, unknown> | null;
}

/** Reads a Responses body; a field of the wrong shape is a BAD_USER_INPUT naming it (OpenAI's `param`). */
export function fromResponsesRequest(body: Record<string, unknown>): ResponsesTurn {
  if (typeof body.model !== "string" || body.model === "") throw badInput("model: required string", { param: "model" });
  if (body.input === undefined || body.input === null) throw badInput("input: required (a string or a list of input items)", { param: "input" });
  const options: ResponsesTurn["options"] = {};
  const temperature = optionalNumber(body.temperature, "temperature");
  if (temperature !== undefined) options.temperature = temperature;
  const topP = optionalNumber(body.top_p, "top_p");
  if (topP !== undefined) options.topP = topP;
  const maxTokens = optionalNumber(body.max_output_tokens, "max_output_tokens");
  if (maxTokens !== undefined) options.maxTokens = maxTokens;
  if (body.tools !== undefined && body.tools !== null) {
    if (!Array.isArray(body.tools)) throw badInput("tools: must be a list", { param: "tools" });
    if (body.tools.length > 0) options.tools = body.tools.map(toTool);
  }
  if (body.tool_choice !== undefined && body.tool_choice !== null) options.toolChoice = toToolChoice(body.tool_choice);
  if (body.reasoning !== undefined && body.reasoning !== null) {
    if (typeof body.reasoning !== "object" || Array.isArray(body.reasoning)) throw badInput("reasoning: must be an object", { param: "reasoning" });
    const effort = readReasoningEffort((body.reasoning as { effort?: unknown }).effort, "reasoning.effort");
    if (effort !== undefined) options.reasoning = { effort };
  }
  const format = toResponseFormat(body.text);
  if (format) options.responseFormat = format;
  if (body.user !== undefined && body.user !== null) {
    if (typeof body.user !== "string") throw badInput("user: must be a string", { param: "user" });
    options.user = body.user;
  }
  if (body.metadata !== undefined && body.metadata !== null && (typeof body.metadata !== "object" || Array.isArray(body.metadata))) {
    throw badInput("metadata: must be an object", { param: "metadata" });
  }
  if (body.instructions !== undefined && body.instructions !== null && typeof body.instructions !== "string") {
    throw badInput("instructions: must be a string", { param: "instructions" });
  }
  const previous = body.previous_response_id;
  if (previous !== undefined && previous !== null && (typeof previous !== "string" || previous === "")) {
    throw badInput("previous_response_id: must be a response id", { param: "previous_response_id" });
  }
  return {
    model: body.model,
    instructions: (body.instructions as string | undefined) ?? null,
    input: toInput(body.input),
    options,
    stream: body.stream === true,
    store: body.store !== false,
    previousResponseId: (previous as string | undefined) ?? null,
    metadata: (body.metadata as Record<string, unknown> | undefined) ?? null,
  };
}

/** The unified request: instructions first (never carried over from a previous response, as OpenAI does), then the history, then this input. */
export function toChatRequest(turn: ResponsesTurn, history: readonly ChatMessage[]): ChatRequest {
  const system: ChatMessage[] = turn.instructions !== null ? [{ role: "system", content: turn.instructions }] : [];
  return { model: turn.model, messages: [...system, ...history, ...turn.input], ...turn.options };
}

function optionalNumber(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value)) throw badInput(`${name}: must be a number`, { param: name });
  return value;
}

const ROLES: Record<string, ChatMessage["role"]> = { system: "system", developer: "system", user: "user", assistant: "assistant" };

/** Input items → unified messages; consecutive assistant text and function calls become one assistant turn. */
function toInput(input: unknown): ChatMessage[] {
  if (typeof input === "string") return [{ role: "user", content: input }];
  if (!Array.isArray(input)) throw badInput("input: must be a string or a list of input items", { param: "input" });
  const messages: ChatMessage[] = [];
  // A signed reasoning item (its `encrypted_content`) goes with the assistant turn that follows it.
  let signed: { reasoning: string; reasoningSignature: string } | undefined;
  const assistant = (message: ChatMessage): ChatMessage => {
    if (signed) Object.assign(message, signed);
    signed = undefined;
    return message;
  };
  input.forEach((raw: unknown, i) => {
    const param = `input[${i}]`;
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw badInput(`${param}: must be an object`, { param });
    const item = raw as Record<string, unknown>;
    const type = item.type ?? "message";
    if (type === "message") {
      const role = ROLES[typeof item.role === "string" ? item.role : ""];
      if (!role) throw badInput(`${param}.role: must be user, assistant, system or developer`, { param: `${param}.role` });
      const content = textOf(item.content, `${param}.content`);
      const last = messages[messages.length - 1];
      // An assistant message after function calls of the same turn joins them (text first, as providers expect).
      if (role === "assistant" && last?.role === "assistant" && last.content === null) last.content = content;
      else messages.push(role === "assistant" ? assistant({ role, content }) : { role, content });
    } else if (type === "function_call") {
      const callId = requiredString(item.call_id, `${param}.call_id`);
      const name = requiredString(item.name, `${param}.name`);
      const args = typeof item.arguments === "string" ? item.arguments : argumentsText(item.arguments, `${param}.arguments`);
      const call = { id: callId, name, arguments: args };
      const last = messages[messages.length - 1];
      if (last?.role === "assistant") (last.toolCalls ??= []).push(call);
      else messages.push(assistant({ role: "assistant", content: null, toolCalls: [call] }));
    } else if (type === "function_call_output") {
      const callId = requiredString(item.call_id, `${param}.call_id`);
      messages.push({ role: "tool", toolCallId: callId, content: typeof item.output === "string" ? item.output : (textOf(item.output, `${param}.output`) ?? "") });
    } else if (type === "reasoning") {
      // Unsigned reasoning of an earlier answer is not sent upstream again; signed reasoning (Anthropic thinking,
      // its signature as `encrypted_content`) goes back with its assistant turn, as thinking with tools requires.
      if (typeof item.encrypted_content === "string" && item.encrypted_content !== "") {
        const parts = Array.isArray(item.content) ? item.content : Array.isArray(item.summary) ? item.summary : [];
        const text = parts.map((part: unknown) => (typeof (part as { text?: unknown })?.text === "string" ? (part as { text: string }).text : "")).join("");
        signed = { reasoning: text, reasoningSignature: item.encrypted_content };
      }
    } else {
      throw badInput(`${param}.type: "${String(type)}" items are not supported (message, function_call, function_call_output, reasoning are)`, { param: `${param}.type` });
    }
  });
  if (messages.length === 0) throw badInput("input: must hold at least one message", { param: "input" });
  return messages;
}

function requiredString(value: unknown, param: string): string {
  if (typeof value !== "string" || value === "") throw badInput(`${param}: required string`, { param });
  return value;
}

function argumentsText(value: unknown, param: string): string {
  if (value === undefined || value === null) return "{}";
  checkDepth(value, param, REQUEST_LIMITS.schemaDepth);
  return JSON.stringify(value);
}

/**
 * A string, or content parts: text (`input_text`, `output_text`, `refusal`) and `input_image` (an
 * `image_url` that is an http(s) or data: URL; uploaded `file_id`s are not carried). Parts that are
 * all text are joined into one string.
 */
function textOf(content: unknown, param: string): MessageContent {
  if (content === null || content === undefined) return null;
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) throw badInput(`${param}: must be a string or a list of content parts`, { param });
  const parts = content.map((raw: unknown, j): ContentPart => {
    const part = raw as { type?: unknown; text?: unknown; refusal?: unknown; image_url?: unknown; detail?: unknown };
    if ((part?.type === "input_text" || part?.type === "output_text") && typeof part.text === "string") return { type: "text", text: part.text };
    if (part?.type === "refusal" && typeof part.refusal === "string") return { type: "text", text: part.refusal };
    if (part?.type === "input_image") {
      if (typeof part.image_url !== "string" || !/^(https?:\/\/|data:)/.test(part.image_url)) {
        throw badInput(`${param}[${j}].image_url: must be an http(s) URL or a data: URL (file_id images are not supported by this gateway)`, { param: `${param}[${j}].image_url` });
      }
      return { type: "image", url: part.image_url, ...(typeof part.detail === "string" ? { detail: part.detail } : {}) };
    }
    throw badInput(`${param}[${j}]: only input_text, output_text and input_image parts are supported by this gateway for now (got ${String(part?.type)})`, { param: `${param}[${j}]` });
  });
  return parts.every((part) => part.type === "text") ? parts.map((part) => (part as { text: string }).text).join("") : parts;
}

function toTool(raw: unknown, i: number): ToolDefinition {
  const tool = raw as { type?: unknown; name?: unknown; description?: unknown; parameters?: unknown };
  if (tool?.type !== "function" || typeof tool.name !== "string" || tool.name === "") {
    throw badInput(`tools[${i}]: only {"type":"function","name",…} tools are supported`, { param: `tools[${i}]` });
  }
  return {
    name: tool.name,
    ...(typeof tool.description === "string" && tool.description !== "" ? { description: tool.description } : {}),
    ...(typeof tool.parameters === "object" && tool.parameters !== null ? { parameters: tool.parameters as Record<string, unknown> } : {}),
  };
}

function toToolChoice(raw: unknown): ToolChoice {
  if (raw === "auto" || raw === "none" || raw === "required") return raw;
  const named = raw as { type?: unknown; name?: unknown };
  if (named?.type === "function" && typeof named.name === "string") return { name: named.name };
  throw badInput('tool_choice: must be "auto", "none", "required" or {"type":"function","name"}', { param: "tool_choice" });
}

function toResponseFormat(text: unknown): ResponseFormat | undefined {
  if (text === undefined || text === null) return undefined;
  const format = (text as { format?: { type?: unknown; name?: unknown; schema?: unknown; strict?: unknown } }).format;
  if (format === undefined || format === null || format.type === "text") return undefined;
  if (format.type === "json_object") return { type: "json_object" };
  if (format.type === "json_schema" && typeof format.schema === "object" && format.schema !== null) {
    return {
      type: "json_schema",
      name: typeof format.name === "string" ? format.name : "response",
      schema: format.schema as Record<string, unknown>,
      ...(typeof format.strict === "boolean" ? { strict: format.strict } : {}),
    };
  }
  throw badInput('text.format: must be {"type":"text"}, {"type":"json_object"} or {"type":"json_schema","name","schema"}', { param: "text.format" });
}
