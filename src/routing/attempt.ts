import type { ProviderError, Usage } from "../core/index.js";
import type { RateLimitHeadroom } from "../providers/spec.js";
import type { Deployment } from "./model-group.js";

/** What the router learnt from one try. The attempt loop appends one per try, in order. */
export interface Attempt {
  index: number;
  group: string;
  deployment: Deployment;
  startedAt: Date;
  /** The same instant on the router's monotonic clock. */
  startedAtMs: number;
  latencyMs: number;
  outcome: "SUCCESS" | "ERROR" | "CANCELLED";
  error?: ProviderError;
  hedged: boolean;
  /** Known for a successful non-streamed attempt; a streamed one learns it at its end. */
  usage?: Usage;
  rateLimit?: RateLimitHeadroom;
}
