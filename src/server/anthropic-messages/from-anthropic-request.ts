import {
  badInput,
  toDataUrl,
  type CacheControl,
  type ChatMessage,
  type ChatRequest,
  type ContentPart,
  type MessageContent,
  type ToolCall,
  type ToolChoice,
  type ToolDefinition,
} from "../../core/index.js";
import { REQUEST_LIMITS } from "../../gateway/request-limits.js";
import { checkDepth } from "../../gateway/validate-call-fields.js";

/**
 * An Anthropic Messages body → the unified request; a field of the wrong shape is a BAD_USER_INPUT
 * naming it. `max_tokens` is required by the Messages API, except for `count_tokens`.
 */
export function fromAnthropicRequest(body: Record<string, unknown>, options: { requireMaxTokens: boolean }): ChatRequest {
  if (typeof body.model !== "string" || body.model === "") throw badInput("model: Field required", { param: "model" });
  if (!Array.isArray(body.messages)) throw badInput("messages: Field required", { param: "messages" });
  if (body.messages.length === 0) throw badInput("messages: at least one message is required", { param: "messages" });
  const request: ChatRequest = { model: body.model, messages: [...systemOf(body.system), ...body.messages.flatMap(toMessages)] };
  const maxTokens = body.max_tokens;
  if (maxTokens !== undefined || options.requireMaxTokens) {
    if (typeof maxTokens !== "number" || !Number.isInteger(maxTokens) || maxTokens < 1) {
      throw badInput("max_tokens: Field required (a positive integer)", { param: "max_tokens" });
    }
    request.maxTokens = maxTokens;
  }
  const temperature = optionalNumber(body.temperature, "temperature");
  if (temperature !== undefined) request.temperature = temperature;
  const topP = optionalNumber(body.top_p, "top_p");
  if (topP !== undefined) request.topP = topP;
  if (body.stop_sequences !== undefined && body.stop_sequences !== null) {
    if (!Array.isArray(body.stop_sequences) || body.stop_sequences.some((s) => typeof s !== "string")) {
      throw badInput("stop_sequences: must be a list of strings", { param: "stop_sequences" });
    }
    if (body.stop_sequences.length > 0) request.stop = body.stop_sequences as string[];
  }
  if (body.tools !== undefined && body.tools !== null) {
    if (!Array.isArray(body.tools)) throw badInput("tools: must be a list", { param: "tools" });
    if (body.tools.length > 0) request.tools = body.tools.map(toTool);
  }
  if (body.tool_choice !== undefined && body.tool_choice !== null) request.toolChoice = toToolChoice(body.tool_choice);
  // Extended thinking: its budget becomes the request's reasoning budget, mapped for every provider.
  if (body.thinking !== undefined && body.thinking !== null) {
    const thinking = body.thinking as { type?: unknown; budget_tokens?: unknown };
    if (typeof thinking !== "object" || Array.isArray(thinking)) throw badInput("thinking: must be an object", { param: "thinking" });
    if (thinking.type === "enabled") {
      if (typeof thinking.budget_tokens !== "number" || !Number.isInteger(thinking.budget_tokens) || thinking.budget_tokens < 1) {
        throw badInput("thinking.budget_tokens: Field required (a positive integer)", { param: "thinking.budget_tokens" });
      }
      request.reasoning = { budgetTokens: thinking.budget_tokens };
    } else if (thinking.type !== "disabled" && thinking.type !== "adaptive") {
      throw badInput('thinking.type: must be "enabled" or "disabled"', { param: "thinking.type" });
    }
  }
  const metadata = body.metadata as { user_id?: unknown } | undefined | null;
  if (metadata !== undefined && metadata !== null) {
    if (typeof metadata !== "object" || Array.isArray(metadata)) throw badInput("metadata: must be an object", { param: "metadata" });
    if (metadata.user_id !== undefined && metadata.user_id !== null) {
      if (typeof metadata.user_id !== "string") throw badInput("metadata.user_id: must be a string", { param: "metadata.user_id" });
      request.user = metadata.user_id;
    }
  }
  return request;
}

function optionalNumber(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value)) throw badInput(`${name}: must be a number`, { param: name });
  return value;
}

/** `system`: a string or text blocks, one system message (its parts kept when a block marks a cache breakpoint). */
function systemOf(system: unknown): ChatMessage[] {
  if (system === undefined || system === null || system === "") return [];
  if (typeof system === "string") return [{ role: "system", content: system }];
  if (!Array.isArray(system)) throw badInput("system: must be a string or a list of text blocks", { param: "system" });
  const parts = system.map((block: unknown, i): ContentPart => textPart(block, `system[${i}]`));
  if (parts.some((part) => part.cacheControl !== undefined)) return [{ role: "system", content: parts }];
  return [{ role: "system", content: parts.map((part) => (part as { text: string }).text).join("\n") }];
}

function textBlock(raw: unknown, param: string): string {
  const block = raw as { type?: unknown; text?: unknown };
  if (block?.type !== "text" || typeof block.text !== "string") throw badInput(`${param}: must be a text block`, { param });
  return block.text;
}

function textPart(raw: unknown, param: string): ContentPart {
  const text = textBlock(raw, param);
  const cacheControl = cacheControlOf((raw as { cache_control?: unknown }).cache_control, `${param}.cache_control`);
  return { type: "text", text, ...(cacheControl ? { cacheControl } : {}) };
}

/** `cache_control` of a block or tool: `{"type":"ephemeral","ttl"?}`, kept for Anthropic deployments. */
export function cacheControlOf(raw: unknown, param: string): CacheControl | undefined {
  if (raw === undefined || raw === null) return undefined;
  const control = raw as { type?: unknown; ttl?: unknown };
  if (control.type !== "ephemeral" || (control.ttl !== undefined && typeof control.ttl !== "string")) {
    throw badInput(`${param}: must be {"type":"ephemeral"} (with an optional "ttl")`, { param });
  }
  return { type: "ephemeral", ...(typeof control.ttl === "string" ? { ttl: control.ttl } : {}) };
}

/** An image block (`source` base64 or url) as an image part; base64 travels as a data URL. */
function imagePart(raw: unknown, param: string): ContentPart {
  const source = (raw as { source?: unknown }).source as { type?: unknown; media_type?: unknown; data?: unknown; url?: unknown } | undefined;
  const cacheControl = cacheControlOf((raw as { cache_control?: unknown }).cache_control, `${param}.cache_control`);
  const extra = cacheControl ? { cacheControl } : {};
  if (source?.type === "base64" && typeof source.media_type === "string" && typeof source.data === "string" && source.data !== "") {
    return { type: "image", url: toDataUrl({ mediaType: source.media_type, data: source.data }), ...extra };
  }
  if (source?.type === "url" && typeof source.url === "string" && /^https?:\/\//.test(source.url)) return { type: "image", url: source.url, ...extra };
  throw badInput(`${param}.source: must be {"type":"base64","media_type","data"} or {"type":"url","url"}`, { param: `${param}.source` });
}

/** Parts as the simplest content that says the same: a string when they are all plain text. */
function simplest(parts: ContentPart[]): MessageContent {
  if (parts.every((part) => part.type === "text" && part.cacheControl === undefined)) {
    return parts.length > 0 ? parts.map((part) => (part as { text: string }).text).join("") : null;
  }
  return parts;
}

/**
 * One Messages turn → unified messages. A user turn's `tool_result` blocks become tool messages (before
 * its text, as the results answer the previous turn); an assistant turn's `tool_use` blocks become its
 * tool calls. Thinking blocks of earlier answers are not sent upstream again.
 */
function toMessages(raw: unknown, i: number): ChatMessage[] {
  const param = `messages[${i}]`;
  const message = raw as { role?: unknown; content?: unknown };
  if (message?.role !== "user" && message?.role !== "assistant") throw badInput(`${param}.role: must be "user" or "assistant"`, { param: `${param}.role` });
  const role = message.role;
  if (typeof message.content === "string") return [{ role, content: message.content }];
  if (!Array.isArray(message.content)) throw badInput(`${param}.content: must be a string or a list of content blocks`, { param: `${param}.content` });
  const parts: ContentPart[] = [];
  const calls: ToolCall[] = [];
  let reasoning: { text: string; signature: string } | undefined;
  const results: ChatMessage[] = [];
  message.content.forEach((raw: unknown, j) => {
    const at = `${param}.content[${j}]`;
    const block = raw as { type?: unknown; text?: unknown; id?: unknown; name?: unknown; input?: unknown; tool_use_id?: unknown; content?: unknown; is_error?: unknown };
    switch (block?.type) {
      case "text":
        parts.push(textPart(block, at));
        return;
      case "image":
        if (role !== "user") throw badInput(`${at}: image blocks belong to user turns`, { param: at });
        parts.push(imagePart(block, at));
        return;
      case "tool_use":
        if (role !== "assistant") throw badInput(`${at}: tool_use blocks belong to assistant turns`, { param: at });
        calls.push({ id: requiredString(block.id, `${at}.id`), name: requiredString(block.name, `${at}.name`), arguments: inputText(block.input, `${at}.input`) });
        return;
      case "tool_result":
        if (role !== "user") throw badInput(`${at}: tool_result blocks belong to user turns`, { param: at });
        results.push({ role: "tool", toolCallId: requiredString(block.tool_use_id, `${at}.tool_use_id`), content: toolResultContent(block.content, `${at}.content`) });
        return;
      case "thinking": {
        // A signed thinking block is kept and sent back to Anthropic deployments (the others ignore it).
        const thinking = raw as { thinking?: unknown; signature?: unknown };
        if (role === "assistant" && typeof thinking.thinking === "string" && typeof thinking.signature === "string" && thinking.signature !== "") {
          reasoning = { text: (reasoning?.text ?? "") + thinking.thinking, signature: thinking.signature };
        }
        return;
      }
      case "redacted_thinking":
        return;
      default:
        throw badInput(`${at}: "${String(block?.type)}" blocks are not supported by this gateway for now (text, image, tool_use, tool_result are)`, { param: at });
    }
  });
  if (role === "assistant") {
    return [
      {
        role,
        content: simplest(parts),
        ...(calls.length > 0 ? { toolCalls: calls } : {}),
        ...(reasoning !== undefined ? { reasoning: reasoning.text, reasoningSignature: reasoning.signature } : {}),
      },
    ];
  }
  return parts.length > 0 || results.length === 0 ? [...results, { role, content: simplest(parts) ?? "" }] : results;
}

function requiredString(value: unknown, param: string): string {
  if (typeof value !== "string" || value === "") throw badInput(`${param}: Field required`, { param });
  return value;
}

/** `tool_use.input` is an object; the unified request carries arguments as JSON text, as OpenAI does. */
function inputText(input: unknown, param: string): string {
  if (input === undefined || input === null) return "{}";
  if (typeof input !== "object" || Array.isArray(input)) throw badInput(`${param}: must be an object`, { param });
  checkDepth(input, param, REQUEST_LIMITS.schemaDepth);
  return JSON.stringify(input);
}

/** A tool result's content: a string, or text and image blocks. */
function toolResultContent(content: unknown, param: string): MessageContent {
  if (content === undefined || content === null) return "";
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) throw badInput(`${param}: must be a string or a list of text and image blocks`, { param });
  return simplest(content.map((block: unknown, k) => ((block as { type?: unknown })?.type === "image" ? imagePart(block, `${param}[${k}]`) : textPart(block, `${param}[${k}]`)))) ?? "";
}

function toTool(raw: unknown, i: number): ToolDefinition {
  const tool = raw as { type?: unknown; name?: unknown; description?: unknown; input_schema?: unknown; cache_control?: unknown };
  const custom = tool?.type === undefined || tool.type === null || tool.type === "custom";
  if (!custom || typeof tool.name !== "string" || tool.name === "" || typeof tool.input_schema !== "object" || tool.input_schema === null) {
    throw badInput(`tools[${i}]: only custom tools ({"name","input_schema"}) are supported by this gateway`, { param: `tools[${i}]` });
  }
  const cacheControl = cacheControlOf(tool.cache_control, `tools[${i}].cache_control`);
  return {
    name: tool.name,
    ...(typeof tool.description === "string" && tool.description !== "" ? { description: tool.description } : {}),
    parameters: tool.input_schema as Record<string, unknown>,
    ...(cacheControl ? { cacheControl } : {}),
  };
}

function toToolChoice(raw: unknown): ToolChoice {
  const choice = raw as { type?: unknown; name?: unknown };
  if (choice?.type === "auto") return "auto";
  if (choice?.type === "any") return "required";
  if (choice?.type === "none") return "none";
  if (choice?.type === "tool" && typeof choice.name === "string" && choice.name !== "") return { name: choice.name };
  throw badInput('tool_choice: must be {"type":"auto"}, {"type":"any"}, {"type":"none"} or {"type":"tool","name"}', { param: "tool_choice" });
}
