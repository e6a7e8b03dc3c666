import type { WireTool, WireToolChoice } from "../../http/wire-request-fields.js";

/** Messages API `usage` (WIRE §8.3): `input_tokens` leaves out cache reads and writes. */
export interface AnthropicUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  output_tokens: number;
}

/**
 * A block of an answer to encode. Text and tool input come in the pieces a stream sends (the body
 * joins them); tool input pieces join into the input's JSON text.
 */
export type AnthropicAnswerBlock =
  | { type: "thinking"; pieces: readonly string[]; signature: string }
  | { type: "text"; pieces: readonly string[] }
  | { type: "tool_use"; id: string; name: string; inputPieces: readonly string[] };

/** An answer to encode as a `message` body or as its stream of events. */
export interface AnthropicAnswer {
  id: string;
  model: string;
  blocks: readonly AnthropicAnswerBlock[];
  /** end_turn, max_tokens, stop_sequence, tool_use, … */
  stopReason: string;
  /** The stop string, with `stop_sequence`. */
  stopSequence?: string;
  usage: AnthropicUsage;
}

/** A `tool_result` block of the last user turn. */
export interface AnthropicToolResult {
  toolUseId: string;
  /** Its content's text (a string, or its text blocks joined). */
  text: string;
}

/** What a Messages request asks for (WIRE §3.2), as the simulator and the fake server read it. */
export interface DecodedAnthropicRequest {
  model: string;
  maxTokens: number;
  stream: boolean;
  stop: string[];
  /** Client tools only (those with an `input_schema`). */
  tools: WireTool[];
  toolChoice: WireToolChoice;
  /** The last turn's role; a user turn carrying tool results is "tool". */
  lastRole: string;
  lastUserText: string;
  toolResults: AnthropicToolResult[];
  /** `thinking: {type: "enabled", budget_tokens}`. */
  thinking?: { budgetTokens: number };
  /** As sent, for estimating the prompt's size. */
  messages: unknown[];
  system: unknown;
  rawTools: unknown;
}
