import { estimatePrompt } from "../../../simulator/estimate-prompt-tokens.js";
import {
  isRecord,
  lastUserText,
  readLimit,
  readStop,
  type WireResponseFormat,
  type WireTool,
  type WireToolChoice,
} from "../../http/wire-request-fields.js";
import type { SimulatedRequest } from "../../../simulator/simulated-request.js";
import { invalidParameter, openAIError, type OpenAIErrorResponse } from "./openai-error.js";

export type ParseOpenAIRequestResult =
  | { ok: true; request: SimulatedRequest }
  | { ok: false; error: OpenAIErrorResponse };

const typeName = (value: unknown): string =>
  value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`;

/** Validates what the real API would reject and that the simulator relies on; lenient otherwise. */
export function parseOpenAIRequest(body: unknown): ParseOpenAIRequestResult {
  if (!isRecord(body)) {
    return fail(openAIError(400, `Invalid type for request body: expected an object, but got ${typeName(body)} instead.`, "invalid_request_error"));
  }
  if (typeof body.model !== "string" || body.model === "") {
    return fail(invalidParameter("model", "you must provide a model parameter", "missing_required_parameter"));
  }
  const messages = body.messages;
  if (messages === undefined || messages === null) {
    return fail(invalidParameter("messages", "Missing required parameter: 'messages'.", "missing_required_parameter"));
  }
  if (!Array.isArray(messages)) {
    return fail(invalidParameter("messages", `Invalid type for 'messages': expected an array of objects, but got ${typeName(messages)} instead.`, "invalid_type"));
  }
  if (messages.length === 0) {
    return fail(invalidParameter("messages", "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", "empty_array"));
  }
  for (let i = 0; i < messages.length; i++) {
    const message: unknown = messages[i];
    if (!isRecord(message) || typeof message.role !== "string") {
      return fail(invalidParameter(`messages[${i}].role`, `Missing required parameter: 'messages[${i}].role'.`, "missing_required_parameter"));
    }
  }

  const stream = body.stream === true;
  const streamOptions = body.stream_options;
  if (streamOptions !== undefined && streamOptions !== null && !stream) {
    return fail(invalidParameter("stream_options", "The 'stream_options' parameter is only allowed when 'stream' is enabled.", "invalid_value"));
  }

  const maxTokens = readLimit(body.max_tokens);
  if (maxTokens === "invalid") return fail(invalidParameter("max_tokens", "Invalid 'max_tokens': expected a non-negative integer.", "invalid_value"));
  const maxCompletionTokens = readLimit(body.max_completion_tokens);
  if (maxCompletionTokens === "invalid") {
    return fail(invalidParameter("max_completion_tokens", "Invalid 'max_completion_tokens': expected a non-negative integer.", "invalid_value"));
  }

  const last = messages[messages.length - 1] as Record<string, unknown>;
  return {
    ok: true,
    request: {
      model: body.model,
      ...estimatePrompt(messages, body.tools),
      stream,
      includeUsage: stream && isRecord(streamOptions) && streamOptions.include_usage === true,
      maxTokens: minDefined(maxTokens, maxCompletionTokens),
      stop: readStop(body.stop),
      tools: readTools(body.tools),
      toolChoice: readToolChoice(body.tool_choice),
      responseFormat: readResponseFormat(body.response_format),
      lastRole: typeof last.role === "string" ? last.role : undefined,
      lastUserText: lastUserText(messages),
      ...(Number.isInteger(body.n) && (body.n as number) > 1 ? { choices: body.n as number } : {}),
      // `reasoning_effort: "none"` (gpt-5.1) turns reasoning off.
      ...(typeof body.reasoning_effort === "string" && body.reasoning_effort !== "none" ? { reasoning: {} } : {}),
    },
  };
}

const fail = (error: OpenAIErrorResponse): ParseOpenAIRequestResult => ({ ok: false, error });

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

/** OpenAI-style `tools` (also Azure's and Ollama's). */
export function readTools(tools: unknown): WireTool[] {
  if (!Array.isArray(tools)) return [];
  const result: WireTool[] = [];
  for (const tool of tools) {
    if (isRecord(tool) && isRecord(tool.function) && typeof tool.function.name === "string") {
      result.push({ name: tool.function.name, parameters: tool.function.parameters });
    }
  }
  return result;
}

function readToolChoice(choice: unknown): WireToolChoice {
  if (choice === "none" || choice === "required") return choice;
  if (isRecord(choice) && isRecord(choice.function) && typeof choice.function.name === "string") {
    return { name: choice.function.name };
  }
  return "auto";
}

function readResponseFormat(format: unknown): WireResponseFormat {
  if (!isRecord(format)) return { type: "text" };
  if (format.type === "json_object") return { type: "json_object" };
  if (format.type === "json_schema") {
    const schema = isRecord(format.json_schema) ? format.json_schema.schema : undefined;
    return { type: "json_schema", schema };
  }
  return { type: "text" };
}
