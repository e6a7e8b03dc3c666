import { decodeBedrockRequest } from "../../../providers/bedrock/wire/decode-bedrock-request.js";
import { estimatePrompt } from "../../estimate-prompt-tokens.js";
import type { WireParseResult, WireRoute } from "../wire-format.js";
import { bedrockValidation } from "./bedrock-error.js";

/** A Converse body (decoded by the Bedrock codec) as what the simulator plans from; the model id comes from the path, streaming from the operation. */
export function parseBedrockRequest(body: unknown, route: WireRoute): WireParseResult {
  const decoded = decodeBedrockRequest(body);
  if (!decoded.ok) return { ok: false, error: bedrockValidation(decoded.message) };
  const { request } = decoded;
  return {
    ok: true,
    request: {
      model: route.model ?? "",
      ...estimatePrompt(request.messages, request.rawTools, request.system),
      stream: route.stream === true,
      includeUsage: false,
      maxTokens: request.maxTokens,
      stop: request.stop,
      tools: request.tools,
      toolChoice: request.toolChoice,
      responseFormat: { type: "text" },
      lastRole: request.lastRole,
      lastUserText: request.lastUserText,
      ...(request.reasoning !== undefined ? { reasoning: request.reasoning } : {}),
    },
  };
}
