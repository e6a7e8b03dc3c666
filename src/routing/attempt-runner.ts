import { ProviderError } from "../core/index.js";
import type { Attempt } from "./attempt.js";
import type { HealthTracker } from "./health/create-health-tracker.js";
import { linkedAbort, type LinkedAbort } from "./linked-abort.js";
import type { Deployment, ModelGroup } from "./model-group.js";

export interface AttemptContext {
  deployment: Deployment;
  group: ModelGroup;
  /** Aborted when the caller leaves or a hedge won; absent when nothing can cancel the attempt. */
  signal?: AbortSignal;
  /** What is left of the call's deadline, bounded by the deployment's own timeout. */
  timeoutMs: number;
}

export interface AttemptSuccess<T> {
  value: T;
  usage?: Attempt["usage"];
  rateLimit?: Attempt["rateLimit"];
  /** Streams: the attempt goes on after the router returns; the runner's `settle` is called at its end instead. */
  deferred?: boolean;
}

export type AttemptRun<T> = (context: AttemptContext, settle: (outcome: SettleOutcome) => void) => Promise<AttemptSuccess<T>>;

export interface SettleOutcome {
  ok: boolean;
  error?: ProviderError;
  ttftMs?: number;
  tokens?: number;
}

export type AttemptResult<T> = { ok: true; success: AttemptSuccess<T>; attempt: Attempt } | { ok: false; error: ProviderError; attempt: Attempt };

export interface RunOneOptions<T> {
  index: number;
  group: ModelGroup;
  deployment: Deployment;
  hedged: boolean;
  parent?: AbortSignal;
  /** The attempt may be cancelled on its own (it races in a hedge), so it needs a signal of its own. */
  cancellable: boolean;
  deadlineAt: number;
  promptTokens: number;
  now(): number;
  wallClock(): Date;
  health?: HealthTracker;
  run: AttemptRun<T>;
}

export interface StartedAttempt<T> {
  /** Never rejects. */
  result: Promise<AttemptResult<T>>;
  /** Cancels this attempt only (a hedge lost); does nothing unless it was started `cancellable`. */
  abort(): void;
  deployment: Deployment;
}

/** One try: tracks it in the health state, times it, and turns any failure into a ProviderError. */
export function startAttempt<T>(options: RunOneOptions<T>): StartedAttempt<T> {
  // An AbortController and a listener on the caller's signal cost microseconds in Node: only an
  // attempt that can be cancelled on its own gets them; the others pass the caller's signal as is.
  const link = options.cancellable ? linkedAbort(options.parent) : undefined;
  const signal = link ? link.signal : options.parent;
  return { result: runAttempt(options, signal, link), abort: () => link?.abort(), deployment: options.deployment };
}

async function runAttempt<T>(options: RunOneOptions<T>, signal: AbortSignal | undefined, link: LinkedAbort | undefined): Promise<AttemptResult<T>> {
  const { deployment, group, health } = options;
  const startedAt = options.wallClock();
  const started = options.now();
  const remaining = options.deadlineAt - started;
  health?.begin(deployment.id, options.promptTokens);
  const attempt: Attempt = {
    index: options.index,
    group: group.name,
    deployment,
    startedAt,
    startedAtMs: started,
    latencyMs: 0,
    outcome: "SUCCESS",
    hedged: options.hedged,
  };
  let settled = false;
  // The one place an attempt is finished: its latency on the router's clock, its outcome, its
  // health record. A stream's attempt finishes when the stream ends (the run calls `settle`).
  const settle = (outcome: SettleOutcome) => {
    if (settled) return;
    settled = true;
    link?.dispose();
    attempt.latencyMs = options.now() - started;
    if (!outcome.ok) {
      attempt.outcome = signal?.aborted ? "CANCELLED" : "ERROR";
      if (outcome.error) attempt.error = outcome.error;
    }
    // One shape for every outcome (absent fields undefined): the tracker reads it on every call.
    health?.end(deployment.id, {
      ok: outcome.ok,
      latencyMs: attempt.latencyMs,
      ttftMs: outcome.ttftMs,
      tokens: outcome.tokens,
      errorKind: outcome.error?.kind,
      errorMessage: outcome.error?.message,
      errorCode: outcome.error?.code,
      retryAfterMs: outcome.error?.retryAfterMs,
      rateLimit: attempt.rateLimit,
    });
  };
  try {
    const success = await options.run(
      { deployment, group, signal, timeoutMs: Math.max(1, Math.min(deployment.timeoutMs ?? remaining, remaining)) },
      settle,
    );
    if (success.usage) attempt.usage = success.usage;
    if (success.rateLimit) attempt.rateLimit = success.rateLimit;
    if (!success.deferred) settle({ ok: true, tokens: success.usage ? success.usage.inputTokens + success.usage.outputTokens : undefined });
    // An open stream's latency so far (to its first event) until its end settles it.
    else if (!settled) attempt.latencyMs = options.now() - started;
    return { ok: true, success, attempt };
  } catch (caught) {
    const error = toProviderError(caught, deployment.provider, signal?.aborted ?? false);
    settle({ ok: false, error });
    return { ok: false, error, attempt };
  }
}

function toProviderError(caught: unknown, provider: string, aborted: boolean): ProviderError {
  if (ProviderError.isInstance(caught)) return caught;
  return new ProviderError({
    kind: aborted ? "cancelled" : "invalid_response",
    provider,
    message: caught instanceof Error ? caught.message : String(caught),
    cause: caught,
  });
}
