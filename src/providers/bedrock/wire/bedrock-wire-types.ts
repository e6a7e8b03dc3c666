import type { WireTool, WireToolChoice } from "../../http/wire-request-fields.js";

/** Converse `usage` (WIRE §8.3): `inputTokens` leaves out cache reads and writes; `totalTokens` is written from these. */
export interface BedrockUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens: number;
  cacheWriteInputTokens: number;
}

/**
 * A content block of an answer to encode. Text, reasoning and tool input come in the pieces a
 * stream sends (the body joins them); tool input pieces join into the input's JSON text.
 */
export type BedrockAnswerBlock =
  | { type: "reasoning"; pieces: readonly string[]; signature: string }
  | { type: "text"; pieces: readonly string[] }
  | { type: "toolUse"; toolUseId: string; name: string; inputPieces: readonly string[] };

/** An answer to encode as a Converse body or as ConverseStream frames. */
export interface BedrockAnswer {
  blocks: readonly BedrockAnswerBlock[];
  /** end_turn, stop_sequence, max_tokens, tool_use, … */
  stopReason: string;
  usage: BedrockUsage;
  /** `metrics.latencyMs`. */
  latencyMs: number;
}

/** What a Converse request asks for (WIRE §5.2), as the simulator and the fake server read it; the model and streaming come from the path. */
export interface DecodedBedrockRequest {
  maxTokens: number | undefined;
  stop: string[];
  tools: WireTool[];
  toolChoice: WireToolChoice;
  /** The last turn's role; a user turn carrying `toolResult` blocks is "tool". */
  lastRole: string;
  lastUserText: string;
  /**
   * Reasoning asked of the model in `additionalModelRequestFields`: Claude's `thinking`
   * (`{type: "enabled", budget_tokens}`), `reasoning_effort`, or Nova's `reasoningConfig`.
   */
  reasoning?: { budgetTokens?: number };
  /** As sent, for estimating the prompt's size. */
  messages: unknown[];
  system: unknown;
  rawTools: unknown;
}
