import { contentText, isRecord, lastUserText, readLimit, readStop, type WireTool, type WireToolChoice } from "../../http/wire-request-fields.js";
import type { AnthropicToolResult, DecodedAnthropicRequest } from "./anthropic-wire-types.js";

export type DecodeAnthropicRequestResult = { ok: true; request: DecodedAnthropicRequest } | { ok: false; message: string };

const fail = (message: string): DecodeAnthropicRequestResult => ({ ok: false, message });

/**
 * A Messages API body (WIRE §3.2), checked the way Anthropic checks it first: `max_tokens` is
 * required, tool results ride in user turns. A refusal carries the message of Anthropic's
 * `invalid_request_error`.
 */
export function decodeAnthropicRequest(body: unknown): DecodeAnthropicRequestResult {
  if (!isRecord(body)) return fail("Input should be a valid dictionary");
  if (typeof body.model !== "string" || body.model === "") return fail("model: Field required");
  if (body.max_tokens === undefined) return fail("max_tokens: Field required");
  const maxTokens = readLimit(body.max_tokens);
  if (maxTokens === "invalid" || maxTokens === undefined || maxTokens < 1) {
    return fail("max_tokens: Input should be an integer greater than or equal to 1");
  }
  const messages = body.messages;
  if (messages === undefined) return fail("messages: Field required");
  if (!Array.isArray(messages)) return fail("messages: Input should be a valid list");
  if (messages.length === 0) return fail("messages: at least one message is required");
  for (let i = 0; i < messages.length; i++) {
    const message: unknown = messages[i];
    if (!isRecord(message) || typeof message.role !== "string") return fail(`messages.${i}.role: Field required`);
    if (typeof message.content !== "string" && !Array.isArray(message.content)) return fail(`messages.${i}.content: Field required`);
  }
  const last = messages[messages.length - 1] as { role: string; content: unknown };
  const toolResults = last.role === "user" ? readToolResults(last.content) : [];
  const request: DecodedAnthropicRequest = {
    model: body.model,
    maxTokens,
    stream: body.stream === true,
    stop: readStop(body.stop_sequences),
    tools: readTools(body.tools),
    toolChoice: readToolChoice(body.tool_choice),
    lastRole: toolResults.length > 0 ? "tool" : last.role,
    lastUserText: lastUserText(messages),
    toolResults,
    messages,
    system: body.system,
    rawTools: body.tools,
  };
  const thinking = readThinking(body.thinking);
  if (thinking !== undefined) request.thinking = thinking;
  return { ok: true, request };
}

function readTools(tools: unknown): WireTool[] {
  if (!Array.isArray(tools)) return [];
  const result: WireTool[] = [];
  for (const tool of tools) {
    // Server tools (web search, …) have a `type` and no input_schema; only client tools get called.
    if (isRecord(tool) && typeof tool.name === "string" && tool.input_schema !== undefined) {
      result.push({ name: tool.name, parameters: tool.input_schema });
    }
  }
  return result;
}

function readToolChoice(choice: unknown): WireToolChoice {
  if (!isRecord(choice)) return "auto";
  if (choice.type === "none") return "none";
  if (choice.type === "any") return "required";
  if (choice.type === "tool" && typeof choice.name === "string") return { name: choice.name };
  return "auto";
}

function readToolResults(content: unknown): AnthropicToolResult[] {
  if (!Array.isArray(content)) return [];
  const results: AnthropicToolResult[] = [];
  for (const block of content) {
    if (isRecord(block) && block.type === "tool_result") {
      results.push({ toolUseId: typeof block.tool_use_id === "string" ? block.tool_use_id : "", text: contentText(block.content) });
    }
  }
  return results;
}

/** Extended thinking (`{type: "enabled", budget_tokens}`); `disabled` or anything else is none. */
function readThinking(thinking: unknown): { budgetTokens: number } | undefined {
  if (!isRecord(thinking) || thinking.type !== "enabled") return undefined;
  const budget = thinking.budget_tokens;
  return { budgetTokens: typeof budget === "number" && Number.isInteger(budget) && budget > 0 ? budget : 1024 };
}
