import type { WireResponseFormat, WireTool, WireToolChoice } from "../../http/wire-request-fields.js";

/** `usageMetadata` counts (WIRE §8.3): `promptTokenCount` includes the cached tokens; thoughts are counted apart from the candidates. */
export interface GeminiUsage {
  promptTokenCount: number;
  candidatesTokenCount: number;
  cachedContentTokenCount: number;
  thoughtsTokenCount: number;
}

/**
 * A part of an answer to encode. Thought summaries and text come in the pieces a stream sends
 * (one chunk each; a body joins them); a function call arrives whole, its args as JSON text.
 */
export type GeminiAnswerPart =
  | { type: "thought"; pieces: readonly string[] }
  | { type: "text"; pieces: readonly string[]; thoughtSignature?: string }
  | { type: "functionCall"; name: string; args: string; thoughtSignature?: string };

/** An answer to encode as a GenerateContentResponse or as its stream of chunks. */
export interface GeminiAnswer {
  /** Whole answers only: the candidate is repeated this many times (`candidateCount`), each counted in usage; 1 when absent. */
  candidates?: number;
  responseId: string;
  modelVersion: string;
  parts: readonly GeminiAnswerPart[];
  /** STOP, MAX_TOKENS, SAFETY, … */
  finishReason: string;
  usage: GeminiUsage;
}

/** A `functionResponse` part of the last turn. */
export interface GeminiFunctionResult {
  name: string;
  response: unknown;
}

/** What a generateContent request asks for (WIRE §4.2), as the simulator and the fake server read it; the model and streaming come from the path. */
export interface DecodedGeminiRequest {
  maxTokens: number | undefined;
  stop: string[];
  tools: WireTool[];
  toolChoice: WireToolChoice;
  responseFormat: WireResponseFormat;
  /** "assistant" for a model turn, "tool" for a turn of function results, else "user". */
  lastRole: string;
  lastUserText: string;
  functionResults: GeminiFunctionResult[];
  /** `generationConfig.thinkingConfig` with `includeThoughts`: thought summaries are asked for. */
  thinking?: { budgetTokens?: number };
  /** `generationConfig.candidateCount` above 1: that many candidates are asked for. */
  candidateCount?: number;
  /** As sent, for estimating the prompt's size. */
  contents: unknown[];
  systemInstruction: unknown;
  rawTools: unknown;
}
