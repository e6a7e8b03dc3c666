/**
 * The contract every provider adapter implements. Adapters translate a ChatRequest into one
 * provider's wire format and back; they know nothing of routing, prices or the database.
 */
import type { ChatEvent, ChatRequest, ChatResponse, EmbeddingRequest, EmbeddingResponse } from "../core/index.js";

/** Rate-limit headroom read from a provider's response headers, reported to the router. */
export interface RateLimitHeadroom {
  limitRequests?: number;
  remainingRequests?: number;
  /** Until the request budget is full again. */
  resetRequestsMs?: number;
  limitTokens?: number;
  remainingTokens?: number;
  resetTokensMs?: number;
}

export interface ProviderCallOptions {
  /** Aborts the upstream HTTP request (client left, deadline passed, a hedge won). */
  signal?: AbortSignal;
  /** Per-attempt limit on the whole call (non-streaming) or on the response headers (streaming). */
  timeoutMs?: number;
  /** Extra headers for this call only. */
  headers?: Record<string, string>;
  /** Longest wait for a pooled connection (default: `timeoutMs`); see PostJsonOptions. */
  queueTimeoutMs?: number;
  /** HTTP adapters call it when the request starts waiting for a connection… */
  onWaiting?: () => void;
  /** …and this once it is written, so a first-token clock can leave the wait out. */
  onSent?: () => void;
}

export interface ProviderResult {
  response: ChatResponse;
  rateLimit?: RateLimitHeadroom;
}

export interface EmbeddingResult {
  response: EmbeddingResponse;
  rateLimit?: RateLimitHeadroom;
}

export interface ProviderStream {
  /**
   * Events as they arrive; ends with exactly one `finish` event. A failure after the stream
   * opened is thrown from the iterator as a ProviderError (never a crash, never a silent end).
   * Breaking out of the loop (calling `return`) aborts the upstream request.
   */
  events: AsyncIterable<ChatEvent>;
  rateLimit?: RateLimitHeadroom;
}

export interface ProviderAdapter {
  /** Provider name as in the config (`openai`, `anthropic`, …). */
  readonly provider: string;
  /**
   * Serves `n` > 1: every choice in `ChatResponse.choices`, and with `stream: true` each streamed piece
   * carries its `choice`. Absent = one choice only, so the router never sends it such a request.
   */
  readonly multipleChoices?: { readonly stream: boolean };
  /** Every failure rejects with a ProviderError. `request.model` is the provider's model name. */
  chat(request: ChatRequest, options?: ProviderCallOptions): Promise<ProviderResult>;
  /** Resolves once the upstream accepted the request (status 2xx); rejects with a ProviderError otherwise. */
  stream(request: ChatRequest, options?: ProviderCallOptions): Promise<ProviderStream>;
  /** Embeddings, for adapters whose provider has them; `request.model` is the provider's model name. Fails with a ProviderError. */
  embed?(request: EmbeddingRequest, options?: ProviderCallOptions): Promise<EmbeddingResult>;
  /** Releases pooled connections. */
  close?(): Promise<void>;
}

/** What a deployment's config gives an adapter factory. */
export interface AdapterSettings {
  provider: string;
  baseUrl: string;
  apiKey?: string;
  /** Provider-specific deployment fields (azure apiVersion, bedrock region, …). */
  extra: Record<string, unknown>;
}

export type AdapterFactory = (settings: AdapterSettings) => ProviderAdapter;
