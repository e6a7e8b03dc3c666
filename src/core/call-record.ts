import type { ProviderErrorKind } from "./provider-error.js";

export type CallStatus = "SUCCESS" | "ERROR" | "CANCELLED";

/** One try against one deployment within a call. */
export interface AttemptRecord {
  /** 0-based order within the call. */
  index: number;
  modelGroup: string;
  deployment: string;
  provider: string;
  providerModel: string;
  outcome: "SUCCESS" | "ERROR" | "CANCELLED";
  errorKind: ProviderErrorKind | null;
  errorMessage: string | null;
  httpStatus: number | null;
  startedAt: Date;
  latencyMs: number;
  /** Started as a hedge beside another attempt. */
  hedged: boolean;
  promptTokens: number;
  completionTokens: number;
  /** Of promptTokens, read from the provider's prompt cache. */
  cachedTokens: number;
  /** Of promptTokens, written to the provider's prompt cache (Anthropic, Bedrock). */
  cacheWriteTokens: number;
  /** Exact cost in pico-USD (1e-12 USD). */
  costPico: bigint;
}

/** How a quality or cascade group chose where a call went (null on the row of a plain group's call). */
export interface RoutingDecision {
  policy: "quality" | "cascade";
  /** The router's score of the prompt, in [0, 1]; null when a cascade has no router. */
  score: number | null;
  /** The threshold the score was compared with; null when none was. */
  threshold: number | null;
  /** The tier group the call was sent to. */
  tier: string;
  /** Why, in words: `score 0.62 ≥ 0.5`, `check minLength failed: 12 < 20 characters`. */
  reason: string;
}

/** One row of `calls`: every call, whatever its outcome. */
export interface CallRecord {
  id: string;
  createdAt: Date;
  requestedModel: string;
  modelGroup: string | null;
  provider: string | null;
  deployment: string | null;
  providerModel: string | null;
  status: CallStatus;
  /** Provider error kind, or a gateway code such as MODEL_NOT_FOUND. */
  errorKind: string | null;
  errorMessage: string | null;
  finishReason: string | null;
  streamed: boolean;
  promptTokens: number;
  completionTokens: number;
  /** Of promptTokens, read from the provider's prompt cache (priced at the cache-read rate). */
  cachedTokens: number;
  /** Of promptTokens, written to the provider's prompt cache (priced at the cache-write rate). */
  cacheWriteTokens: number;
  reasoningTokens: number;
  /** Exact cost in pico-USD (1e-12 USD); all attempts' consumption. */
  costPico: bigint;
  latencyMs: number;
  ttftMs: number | null;
  attemptCount: number;
  keyId: string | null;
  teamId: string | null;
  endUser: string | null;
  metadata: Record<string, unknown> | null;
  /** Quality routing and cascades: the decision behind this call. */
  routing?: RoutingDecision | null;
  /** A cascade's escalated call: the id of the cheaper call whose answer failed its checks. */
  escalatedFrom?: string | null;
  /** An attempt ran on a deployment with no known price: `costPico` leaves that attempt out (unknown, not free). */
  unpriced?: boolean;
  /** Absent = COMPLETION. */
  kind?: "COMPLETION" | "EMBEDDING";
  attempts: AttemptRecord[];
}

/** The call log port: never blocks and never throws into a request. */
export interface CallSink {
  record(call: CallRecord): void;
}
