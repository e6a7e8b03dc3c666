import type { ProviderErrorKind } from "../../core/index.js";
import type { RateLimitHeadroom } from "../../providers/spec.js";

export type HealthStatus = "HEALTHY" | "DEGRADED" | "COOLING_DOWN" | "UNKNOWN";

export interface CooldownSettings {
  /** Failures within `windowMs` that start a cooldown. */
  failures: number;
  windowMs: number;
  durationMs: number;
}

/** The live numbers strategies read on every pick, without copying (read-only by contract). */
export interface RoutingView {
  readonly inFlight: number;
  readonly ewmaLatencyMs?: number;
  readonly ewmaTtftMs?: number;
  /** When the averages last took a sample (the tracker's clock). */
  readonly lastSampleAt: number;
  readonly rpmUsed: number;
  readonly tpmUsed: number;
  readonly headroom?: RateLimitHeadroom;
}

/** What the health API reads about one deployment; a copy, never live state. */
export interface DeploymentSnapshot {
  id: string;
  status: HealthStatus;
  inFlight: number;
  /** Peak-sensitive moving averages; undefined until the first sample. */
  ewmaLatencyMs?: number;
  ewmaTtftMs?: number;
  /** Requests and tokens started in the current minute, by our own count. */
  rpmUsed: number;
  tpmUsed: number;
  /** The provider's own view from its last response headers. */
  headroom?: RateLimitHeadroom;
  /** Failed attempts ÷ attempts over the recent window (0 when none). */
  errorRate: number;
  attempts: number;
  /** Epoch ms; set while cooling down. */
  cooldownUntil?: number;
  lastError?: string;
  lastErrorKind?: ProviderErrorKind;
  latencyP50Ms?: number;
  latencyP95Ms?: number;
  ttftP50Ms?: number;
}

export interface AttemptOutcome {
  ok: boolean;
  errorKind?: ProviderErrorKind;
  /** The error's code (e.g. CONNECTION_WAIT_CODE, which is not held against the deployment). */
  errorCode?: string;
  errorMessage?: string;
  retryAfterMs?: number;
  latencyMs: number;
  ttftMs?: number;
  tokens?: number;
  rateLimit?: RateLimitHeadroom;
}

export interface HealthChange {
  deployment: string;
  group: string;
  from: HealthStatus;
  to: HealthStatus;
  snapshot: DeploymentSnapshot;
}
