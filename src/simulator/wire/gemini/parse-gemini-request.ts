import { decodeGeminiRequest } from "../../../providers/gemini/wire/decode-gemini-request.js";
import { estimatePrompt } from "../../estimate-prompt-tokens.js";
import type { WireParseResult, WireRoute } from "../wire-format.js";
import { geminiInvalidArgument } from "./gemini-error.js";

/** A generateContent body (decoded by the Gemini codec) as what the simulator plans from; the model and streaming come from the path. */
export function parseGeminiRequest(body: unknown, route: WireRoute): WireParseResult {
  const decoded = decodeGeminiRequest(body);
  if (!decoded.ok) return { ok: false, error: geminiInvalidArgument(decoded.message) };
  const { request } = decoded;
  return {
    ok: true,
    request: {
      model: route.model ?? "",
      ...estimatePrompt(request.contents, request.rawTools, request.systemInstruction),
      stream: route.stream === true,
      includeUsage: false,
      maxTokens: request.maxTokens,
      stop: request.stop,
      tools: request.tools,
      toolChoice: request.toolChoice,
      responseFormat: request.responseFormat,
      lastRole: request.lastRole,
      lastUserText: request.lastUserText,
      ...(request.thinking !== undefined ? { reasoning: request.thinking } : {}),
      ...(request.candidateCount !== undefined ? { choices: request.candidateCount } : {}),
    },
  };
}
