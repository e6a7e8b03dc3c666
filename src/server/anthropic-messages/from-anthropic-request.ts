import { badInput, type ChatMessage, type ChatRequest, type ToolCall, type ToolChoice, type ToolDefinition } from "../../core/index.js";
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
  // Extended thinking is Anthropic's own setting: passed to Anthropic deployments as it is, ignored by the others.
  if (body.thinking !== undefined && body.thinking !== null) {
    if (typeof body.thinking !== "object" || Array.isArray(body.thinking)) throw badInput("thinking: must be an object", { param: "thinking" });
    request.providerOptions = { anthropic: { thinking: body.thinking } };
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

/** `system`: a string or text blocks, one system message. */
function systemOf(system: unknown): ChatMessage[] {
  if (system === undefined || system === null || system === "") return [];
  if (typeof system === "string") return [{ role: "system", content: system }];
  if (!Array.isArray(system)) throw badInput("system: must be a string or a list of text blocks", { param: "system" });
  const text = system.map((block: unknown, i) => textBlock(block, `system[${i}]`)).join("\n");
  return [{ role: "system", content: text }];
}

function textBlock(raw: unknown, param: string): string {
  const block = raw as { type?: unknown; text?: unknown };
  if (block?.type !== "text" || typeof block.text !== "string") throw badInput(`${param}: must be a text block`, { param });
  return block.text;
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
  const texts: string[] = [];
  const calls: ToolCall[] = [];
  const results: ChatMessage[] = [];
  message.content.forEach((raw: unknown, j) => {
    const at = `${param}.content[${j}]`;
    const block = raw as { type?: unknown; text?: unknown; id?: unknown; name?: unknown; input?: unknown; tool_use_id?: unknown; content?: unknown; is_error?: unknown };
    switch (block?.type) {
      case "text":
        texts.push(textBlock(block, at));
        return;
      case "tool_use":
        if (role !== "assistant") throw badInput(`${at}: tool_use blocks belong to assistant turns`, { param: at });
        calls.push({ id: requiredString(block.id, `${at}.id`), name: requiredString(block.name, `${at}.name`), arguments: inputText(block.input, `${at}.input`) });
        return;
      case "tool_result":
        if (role !== "user") throw badInput(`${at}: tool_result blocks belong to user turns`, { param: at });
        results.push({ role: "tool", toolCallId: requiredString(block.tool_use_id, `${at}.tool_use_id`), content: toolResultText(block.content, `${at}.content`) });
        return;
      case "thinking":
      case "redacted_thinking":
        return;
      default:
        throw badInput(`${at}: "${String(block?.type)}" blocks are not supported by this gateway for now (text, tool_use, tool_result are)`, { param: at });
    }
  });
  if (role === "assistant") return [{ role, content: texts.length > 0 ? texts.join("") : null, ...(calls.length > 0 ? { toolCalls: calls } : {}) }];
  return texts.length > 0 || results.length === 0 ? [...results, { role, content: texts.join("") }] : results;
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

function toolResultText(content: unknown, param: string): string {
  if (content === undefined || content === null) return "";
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) throw badInput(`${param}: must be a string or a list of text blocks`, { param });
  return content.map((block: unknown, k) => textBlock(block, `${param}[${k}]`)).join("");
}

function toTool(raw: unknown, i: number): ToolDefinition {
  const tool = raw as { type?: unknown; name?: unknown; description?: unknown; input_schema?: unknown };
  const custom = tool?.type === undefined || tool.type === null || tool.type === "custom";
  if (!custom || typeof tool.name !== "string" || tool.name === "" || typeof tool.input_schema !== "object" || tool.input_schema === null) {
    throw badInput(`tools[${i}]: only custom tools ({"name","input_schema"}) are supported by this gateway`, { param: `tools[${i}]` });
  }
  return {
    name: tool.name,
    ...(typeof tool.description === "string" && tool.description !== "" ? { description: tool.description } : {}),
    parameters: tool.input_schema as Record<string, unknown>,
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
