import { estimatePrompt } from "../../estimate-prompt-tokens.js";
import {
  isRecord,
  lastUserText,
  readLimit,
  readStop,
  type WireTool,
  type WireToolChoice,
} from "../../simulated-request.js";
import type { WireParseResult } from "../wire-format.js";
import { anthropicInvalidRequest } from "./anthropic-error.js";

const fail = (message: string): WireParseResult => ({ ok: false, error: anthropicInvalidRequest(message) });

/** A Messages API body (WIRE §3.2): `max_tokens` is required, tool results ride in user turns. */
export function parseAnthropicRequest(body: unknown): WireParseResult {
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
  return {
    ok: true,
    request: {
      model: body.model,
      ...estimatePrompt(messages, body.tools, body.system),
      stream: body.stream === true,
      includeUsage: false,
      maxTokens,
      stop: readStop(body.stop_sequences),
      tools: readTools(body.tools),
      toolChoice: readToolChoice(body.tool_choice),
      responseFormat: { type: "text" },
      lastRole: last.role === "user" && hasBlock(last.content, "tool_result") ? "tool" : last.role,
      lastUserText: lastUserText(messages),
    },
  };
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

function hasBlock(content: unknown, type: string): boolean {
  return Array.isArray(content) && content.some((block) => isRecord(block) && block.type === type);
}
