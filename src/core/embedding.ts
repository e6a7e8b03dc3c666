/** A request for embeddings, as every transport maps into and every adapter maps out of. */
export interface EmbeddingRequest {
  /** What the client asked for: a model group or an alias. Adapters receive the provider model here. */
  model: string;
  /** One text per vector, in order. */
  input: string[];
  /** Ask for shorter vectors, where the model can. */
  dimensions?: number;
  /** End-user id, kept with the call. */
  user?: string;
}

export interface EmbeddingResponse {
  /** The provider model that answered. */
  model: string;
  /** One vector per input, in input order. */
  vectors: number[][];
  /** Input tokens as the provider counted them (estimated where it reports none). */
  inputTokens: number;
}
