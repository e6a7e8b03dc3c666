import { badInput, type ChatMessage, type ChatRequest, type ContentPart, type MessageContent, type Role, type ToolChoice } from "../../core/index.js";
import { readReasoningEffort } from "../read-reasoning-effort.js";
import { cacheControlOf } from "../anthropic-messages/from-anthropic-request.js";
import { REQUEST_LIMITS } from "../../gateway/request-limits.js";
import { checkDepth } from "../../gateway/validate-call-fields.js";

/** The fields of an OpenAI chat-completions body the gateway reads; the rest is ignored. */
export interface OpenAIChatBody {
  model?: unknown;
  messages?: unknown;
  temperature?: unknown;
  top_p?: unknown;
  max_tokens?: unknown;
  max_completion_tokens?: unknown;
  stop?: unknown;
  n?: unknown;
  tools?: unknown;
  tool_choice?: unknown;
  response_format?: unknown;
  reasoning_effort?: unknown;
  user?: unknown;
  stream?: unknown;
  stream_options?: unknown;
  metadata?: unknown;
  /** Switchyard's own: per-request routing overrides (`{ "threshold": 0.7 }`), as GraphQL's RoutingInput. */
  routing?: unknown;
}

const ROLES: Record<string, Role> = { system: "system", developer: "system", user: "user", assistant: "assistant", tool: "tool" };

/** An OpenAI request body → the unified request; a field of the wrong shape is a BAD_USER_INPUT naming it. */
export function fromOpenAIRequest(body: OpenAIChatBody): ChatRequest {
  if (typeof body.model !== "string" || body.model === "") throw badInput("model: required string", { param: "model" });
  if (!Array.isArray(body.messages)) throw badInput("messages: required array", { param: "messages" });
  const request: ChatRequest = { model: body.model, messages: body.messages.map(toMessage) };
  const num = (value: unknown, name: string) => {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "number" || !Number.isFinite(value)) throw badInput(`${name}: must be a number`, { param: name });
    return value;
  };
  const temperature = num(body.temperature, "temperature");
  if (temperature !== undefined) request.temperature = temperature;
  const topP = num(body.top_p, "top_p");
  if (topP !== undefined) request.topP = topP;
  const maxTokens = num(body.max_completion_tokens, "max_completion_tokens") ?? num(body.max_tokens, "max_tokens");
  if (maxTokens !== undefined) request.maxTokens = maxTokens;
  if (typeof body.stop === "string") request.stop = [body.stop];
  else if (Array.isArray(body.stop)) request.stop = body.stop.map(String);
  if (Array.isArray(body.tools)) request.tools = body.tools.map(toTool);
  if (body.tool_choice !== undefined && body.tool_choice !== null) request.toolChoice = toToolChoice(body.tool_choice);
  const format = body.response_format as { type?: string; json_schema?: { name?: string; schema?: Record<string, unknown>; strict?: boolean } } | undefined;
  if (format?.type === "json_object") request.responseFormat = { type: "json_object" };
  else if (format?.type === "json_schema") {
    request.responseFormat = {
      type: "json_schema",
      name: format.json_schema?.name ?? "response",
      schema: format.json_schema?.schema ?? {},
      ...(format.json_schema?.strict !== undefined ? { strict: format.json_schema.strict } : {}),
    };
  }
  const n = num(body.n, "n");
  if (n !== undefined && !(Number.isInteger(n) && n >= 1 && n <= 128)) throw badInput("n: must be an integer from 1 to 128", { param: "n" });
  if (n !== undefined && n > 1) request.n = n;
  if (typeof body.user === "string") request.user = body.user;
  const effort = readReasoningEffort(body.reasoning_effort, "reasoning_effort");
  if (effort !== undefined) request.reasoning = { effort };
  return request;
}

/** The routing overrides of a /v1 body (SDKs send them as an extra body field); only `threshold` for now. */
export function fromOpenAIRouting(raw: unknown): { threshold?: number[] } {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== "object" || Array.isArray(raw)) throw badInput("routing: must be an object", { param: "routing" });
  const threshold = (raw as { threshold?: unknown }).threshold;
  if (threshold === undefined || threshold === null) return {};
  const list = Array.isArray(threshold) ? threshold : [threshold];
  if (list.length === 0 || list.some((t) => typeof t !== "number" || !Number.isFinite(t))) {
    throw badInput("routing.threshold: a number, or a list of numbers (one per boundary between tiers)", { param: "routing.threshold" });
  }
  return { threshold: list as number[] };
}

function toMessage(raw: unknown, i: number): ChatMessage {
  const message = raw as { role?: string; content?: unknown; tool_calls?: unknown; tool_call_id?: unknown; name?: unknown };
  const role = ROLES[message?.role ?? ""];
  if (!role) throw badInput(`messages[${i}].role: must be system, developer, user, assistant or tool`, { param: `messages[${i}].role` });
  const out: ChatMessage = { role, content: contentOf(message.content, i) };
  if (Array.isArray(message.tool_calls)) {
    out.toolCalls = message.tool_calls.map((call: { id?: string; function?: { name?: string; arguments?: unknown } }, j: number) => ({
      id: String(call.id ?? ""),
      name: String(call.function?.name ?? ""),
      arguments: argumentsText(call.function?.arguments, `messages[${i}].tool_calls[${j}].function.arguments`),
    }));
  }
  if (typeof message.tool_call_id === "string") out.toolCallId = message.tool_call_id;
  if (typeof message.name === "string") out.name = message.name;
  return out;
}

/** OpenAI sends arguments as a JSON string; an object is tolerated, bounded before it is serialised. */
function argumentsText(value: unknown, param: string): string {
  if (typeof value === "string") return value;
  checkDepth(value ?? {}, param, REQUEST_LIMITS.schemaDepth);
  return JSON.stringify(value ?? {});
}

/**
 * Text content, or content parts: `text` and `image_url` (an https URL or a base64 data URL), each
 * with an optional `cache_control` breakpoint for Anthropic deployments. Parts that are all plain
 * text are joined into one string.
 */
function contentOf(content: unknown, i: number): MessageContent {
  if (content === null || content === undefined) return null;
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) throw badInput(`messages[${i}].content: must be a string or an array of parts`, { param: `messages[${i}].content` });
  const parts = content.map((raw: unknown, j): ContentPart => toPart(raw, `messages[${i}].content[${j}]`));
  if (parts.every((part) => part.type === "text" && part.cacheControl === undefined)) return parts.map((part) => (part as { text: string }).text).join("");
  return parts;
}

function toPart(raw: unknown, param: string): ContentPart {
  const part = raw as { type?: unknown; text?: unknown; image_url?: unknown; cache_control?: unknown };
  const cacheControl = cacheControlOf(part?.cache_control, `${param}.cache_control`);
  const extra = cacheControl ? { cacheControl } : {};
  if (part?.type === "text") {
    if (typeof part.text !== "string") throw badInput(`${param}.text: required string`, { param: `${param}.text` });
    return { type: "text", text: part.text, ...extra };
  }
  if (part?.type === "image_url") {
    const image = (typeof part.image_url === "string" ? { url: part.image_url } : part.image_url) as { url?: unknown; detail?: unknown } | undefined;
    if (typeof image?.url !== "string" || !/^(https?:\/\/|data:)/.test(image.url)) {
      throw badInput(`${param}.image_url.url: must be an http(s) URL or a data: URL`, { param: `${param}.image_url.url` });
    }
    return { type: "image", url: image.url, ...(typeof image.detail === "string" ? { detail: image.detail } : {}), ...extra };
  }
  throw badInput(`${param}: "${String(part?.type)}" parts are not supported by this gateway for now (text and image_url are)`, { param });
}

function toTool(raw: unknown, i: number) {
  const tool = raw as { type?: string; function?: { name?: string; description?: string; parameters?: Record<string, unknown> }; cache_control?: unknown };
  if (tool?.type !== "function" || typeof tool.function?.name !== "string") {
    throw badInput(`tools[${i}]: only {"type":"function","function":{"name",…}} tools are supported`, { param: `tools[${i}]` });
  }
  return {
    name: tool.function.name,
    ...(tool.function.description ? { description: tool.function.description } : {}),
    ...(tool.function.parameters ? { parameters: tool.function.parameters } : {}),
    ...(tool.cache_control !== undefined && tool.cache_control !== null ? { cacheControl: cacheControlOf(tool.cache_control, `tools[${i}].cache_control`)! } : {}),
  };
}

function toToolChoice(raw: unknown): ToolChoice {
  if (raw === "auto" || raw === "none" || raw === "required") return raw;
  const named = raw as { type?: string; function?: { name?: string } };
  if (named?.type === "function" && typeof named.function?.name === "string") return { name: named.function.name };
  throw badInput('tool_choice: must be "auto", "none", "required" or {"type":"function","function":{"name"}}', { param: "tool_choice" });
}
