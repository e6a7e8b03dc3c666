import { ProviderError, type ChatRequest } from "../../../core/index.js";

/**
 * The sampling settings Claude accepts with extended thinking on (Anthropic's and Bedrock's rule: thinking
 * "isn't compatible with temperature or top_k modifications as well as forced tool use"; `top_p` only from
 * 0.95 to 1). A temperature other than 1 and a `top_p` below 0.95 are left out, so the model samples at its
 * defaults rather than the request failing; forced tool use (`tool_choice` required or a named tool, with tools)
 * cannot be honoured and is refused before anything is sent.
 */
export function samplingUnderThinking(request: ChatRequest, provider: string): { temperature?: number; topP?: number } {
  const forced = request.toolChoice === "required" || typeof request.toolChoice === "object";
  if (forced && (request.tools?.length ?? 0) > 0) {
    throw new ProviderError({
      kind: "bad_request",
      provider,
      message: "Claude with extended thinking cannot be forced to call a tool: send tool_choice auto (or none), or no reasoning effort",
    });
  }
  return {
    ...(request.temperature === 1 ? { temperature: 1 } : {}),
    ...(request.topP !== undefined && request.topP >= 0.95 ? { topP: request.topP } : {}),
  };
}
