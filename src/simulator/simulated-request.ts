import type { PromptPrefix } from "./prompt-cache.js";
import type { WireResponseFormat, WireTool, WireToolChoice } from "../providers/http/wire-request-fields.js";

export { contentText, isRecord, lastUserText, readLimit, readStop } from "../providers/http/wire-request-fields.js";
export type { WireResponseFormat, WireTool, WireToolChoice } from "../providers/http/wire-request-fields.js";

/**
 * What every wire format's request boils down to: the fields the simulator plans an answer
 * from. Each wire module fills it from its own body shape; everything else is ignored.
 */
export interface SimulatedRequest {
  /** The body's model, or the one named by the path (Gemini, Bedrock, the Azure deployment). */
  model: string;
  /** Estimated by the same rule for every format (estimatePromptTokens). */
  promptTokens: number;
  /** The prompt's prefixes, for the simulated prompt cache (estimatePrompt); absent = nothing cacheable. */
  promptPrefixes?: readonly PromptPrefix[];
  stream: boolean;
  /** OpenAI `stream_options.include_usage`; formats that always report usage leave it false. */
  includeUsage: boolean;
  maxTokens: number | undefined;
  stop: readonly string[];
  tools: readonly WireTool[];
  toolChoice: WireToolChoice;
  responseFormat: WireResponseFormat;
  /**
   * Role of the last turn. Formats that carry tool results inside a user turn (Anthropic,
   * Gemini, Bedrock) report such a turn as "tool", so a tool result gets a text answer.
   */
  lastRole: string | undefined;
  /** Text of the last user turn (text parts joined); "" when there is none. Part of the seed. */
  lastUserText: string;
  /** OpenAI `n`: how many choices to answer with (absent = 1). */
  choices?: number;
  /** Set when the request turns reasoning on (Anthropic `thinking`, Gemini `thinkingConfig`, Bedrock's model fields): the answer then opens with reasoning text. */
  reasoning?: { budgetTokens?: number };
}
