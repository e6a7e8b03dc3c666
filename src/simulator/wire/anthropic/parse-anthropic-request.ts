import { decodeAnthropicRequest } from "../../../providers/anthropic/wire/decode-anthropic-request.js";
import { estimatePrompt } from "../../estimate-prompt-tokens.js";
import type { WireParseResult } from "../wire-format.js";
import { anthropicInvalidRequest } from "./anthropic-error.js";

/** A Messages API body (decoded by the Anthropic codec) as what the simulator plans from. */
export function parseAnthropicRequest(body: unknown): WireParseResult {
  const decoded = decodeAnthropicRequest(body);
  if (!decoded.ok) return { ok: false, error: anthropicInvalidRequest(decoded.message) };
  const { request } = decoded;
  return {
    ok: true,
    request: {
      model: request.model,
      ...estimatePrompt(request.messages, request.rawTools, request.system),
      stream: request.stream,
      includeUsage: false,
      maxTokens: request.maxTokens,
      stop: request.stop,
      tools: request.tools,
      toolChoice: request.toolChoice,
      responseFormat: { type: "text" },
      lastRole: request.lastRole,
      lastUserText: request.lastUserText,
      ...(request.thinking !== undefined ? { reasoning: { budgetTokens: request.thinking.budgetTokens } } : {}),
    },
  };
}
