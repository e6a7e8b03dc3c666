import type { AttemptRecord, EmbeddingRequest, EmbeddingResponse } from "../core/index.js";
import type { CompletionCommand } from "./completion-types.js";

/** Embeddings as the transports hand them in: the request plus who asked (as for completions). */
export interface EmbeddingCommand extends Omit<CompletionCommand, "request" | "routing"> {
  request: EmbeddingRequest;
}

export interface EmbeddingOutcome {
  callId: string;
  modelGroup: string;
  deployment: string;
  provider: string;
  response: EmbeddingResponse;
  costPico: bigint;
  latencyMs: number;
  attempts: AttemptRecord[];
}

/** Most texts in one request, as OpenAI allows. */
export const MAX_EMBEDDING_INPUTS = 2048;
