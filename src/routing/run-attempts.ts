import { ProviderError } from "../core/index.js";
import { AllDeploymentsFailedError } from "./all-deployments-failed-error.js";
import type { Attempt } from "./attempt.js";
import { backoffDelay } from "./backoff-delay.js";
import type { BackoffSettings, Deployment, ModelGroup } from "./model-group.js";
import { pickWeighted } from "./pick-weighted.js";

export interface AttemptContext {
  deployment: Deployment;
  group: ModelGroup;
  signal?: AbortSignal;
  /** What is left of the call's deadline, bounded by the deployment's own timeout. */
  timeoutMs: number;
}

export interface AttemptSuccess<T> {
  value: T;
  usage?: Attempt["usage"];
  rateLimit?: Attempt["rateLimit"];
}

export interface RunAttemptsOptions<T> {
  requestedModel: string;
  start: ModelGroup;
  findGroup(name: string): ModelGroup | undefined;
  defaultFallbacks: { rateLimit: string[]; contextWindow: string[]; contentPolicy: string[] };
  backoff: BackoffSettings;
  signal?: AbortSignal;
  /** Absolute, in `now()` milliseconds. */
  deadlineAt: number;
  now(): number;
  wallClock(): Date;
  random(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Pre-call check: false skips a deployment (context window too small, missing feature). */
  canServe?(deployment: Deployment): boolean;
  run(context: AttemptContext): Promise<AttemptSuccess<T>>;
  onAttempt?(attempt: Attempt): void;
}

export interface RunAttemptsResult<T> {
  value: T;
  group: ModelGroup;
  deployment: Deployment;
  attempts: Attempt[];
}

/** Errors that say the deployment (not the request) is unusable: try the others, never this one again. */
const DEPLOYMENT_PERMANENT = new Set(["auth", "not_found", "quota"]);

/**
 * The one place that retries and falls back. Walks the start group, then its fallbacks;
 * within a group a retry prefers a deployment not yet tried and backs off before reusing one.
 */
export async function runAttempts<T>(options: RunAttemptsOptions<T>): Promise<RunAttemptsResult<T>> {
  const attempts: Attempt[] = [];
  const queue: ModelGroup[] = [options.start];
  const visited = new Set<string>([options.start.name]);
  const enqueue = (names: string[], replace: boolean) => {
    if (replace) queue.length = 0;
    for (const name of names) {
      const group = options.findGroup(name);
      if (group && !visited.has(group.name)) {
        visited.add(group.name);
        queue.push(group);
      }
    }
  };
  enqueue(options.start.fallbacks, false);

  let sawServable = false;
  while (queue.length > 0) {
    const group = queue.shift()!;
    const servable = group.deployments.filter((d) => options.canServe?.(d) ?? true);
    if (servable.length === 0) {
      enqueue(group.contextWindowFallbacks.length > 0 ? group.contextWindowFallbacks : options.defaultFallbacks.contextWindow, false);
      continue;
    }
    sawServable = true;
    const tried = new Set<string>();
    const unusable = new Set<string>();
    let sameDeploymentRetries = 0;
    let lastError: ProviderError | undefined;
    let onlyRateLimits = true;
    let redirect: string[] | undefined;

    for (let n = 0; n <= group.retries; n++) {
      throwIfStopped(options, attempts);
      const usable = servable.filter((d) => !unusable.has(d.id));
      const fresh = usable.filter((d) => !tried.has(d.id));
      const deployment = pickWeighted(fresh.length > 0 ? fresh : usable, options.random);
      if (!deployment) break;
      if (fresh.length === 0 && lastError) {
        const delay = backoffDelay(sameDeploymentRetries++, options.backoff, options.random, lastError.retryAfterMs);
        if (options.now() + delay >= options.deadlineAt) throw new AllDeploymentsFailedError(options.requestedModel, attempts, "TIMEOUT");
        await options.sleep(delay, options.signal).catch(() => undefined);
        throwIfStopped(options, attempts);
      }

      const startedAt = options.wallClock();
      const started = options.now();
      const remaining = options.deadlineAt - started;
      try {
        const success = await options.run({
          deployment,
          group,
          signal: options.signal,
          timeoutMs: Math.max(1, Math.min(deployment.timeoutMs ?? remaining, remaining)),
        });
        const attempt: Attempt = {
          index: attempts.length,
          group: group.name,
          deployment,
          startedAt,
          startedAtMs: started,
          latencyMs: options.now() - started,
          outcome: "SUCCESS",
          hedged: false,
          usage: success.usage,
          rateLimit: success.rateLimit,
        };
        attempts.push(attempt);
        options.onAttempt?.(attempt);
        return { value: success.value, group, deployment, attempts };
      } catch (caught) {
        const error = toProviderError(caught, deployment.provider);
        const cancelled = options.signal?.aborted === true;
        const attempt: Attempt = {
          index: attempts.length,
          group: group.name,
          deployment,
          startedAt,
          startedAtMs: started,
          latencyMs: options.now() - started,
          outcome: cancelled ? "CANCELLED" : "ERROR",
          error,
          hedged: false,
        };
        attempts.push(attempt);
        options.onAttempt?.(attempt);
        throwIfStopped(options, attempts);
        lastError = error;
        if (error.kind !== "rate_limit") onlyRateLimits = false;

        if (error.kind === "bad_request") throw new AllDeploymentsFailedError(options.requestedModel, attempts, "BAD_USER_INPUT");
        if (error.kind === "context_window") {
          redirect = group.contextWindowFallbacks.length > 0 ? group.contextWindowFallbacks : options.defaultFallbacks.contextWindow;
          break;
        }
        if (error.kind === "content_policy") {
          redirect = group.contentPolicyFallbacks.length > 0 ? group.contentPolicyFallbacks : options.defaultFallbacks.contentPolicy;
          break;
        }
        if (DEPLOYMENT_PERMANENT.has(error.kind) || !error.retryable) {
          unusable.add(deployment.id);
          n--; // a deployment that cannot serve does not use up a retry
          if (usable.length <= 1) break;
          continue;
        }
        tried.add(deployment.id);
      }
    }
    if (redirect) enqueue(redirect, true);
    else if (onlyRateLimits && lastError) {
      const rateLimitFallbacks = group.rateLimitFallbacks.length > 0 ? group.rateLimitFallbacks : options.defaultFallbacks.rateLimit;
      queue.unshift(...rateLimitFallbacks.map((name) => options.findGroup(name)).filter((g): g is ModelGroup => !!g && !visited.has(g.name)));
      rateLimitFallbacks.forEach((name) => visited.add(name));
    }
  }
  if (!sawServable && attempts.length === 0) {
    throw new AllDeploymentsFailedError(options.requestedModel, attempts, "BAD_USER_INPUT");
  }
  throw new AllDeploymentsFailedError(options.requestedModel, attempts);
}

function throwIfStopped(options: RunAttemptsOptions<unknown>, attempts: Attempt[]): void {
  if (options.signal?.aborted) throw new AllDeploymentsFailedError(options.requestedModel, attempts, "CANCELLED");
  if (options.now() >= options.deadlineAt) throw new AllDeploymentsFailedError(options.requestedModel, attempts, "TIMEOUT");
}

function toProviderError(caught: unknown, provider: string): ProviderError {
  if (ProviderError.isInstance(caught)) return caught;
  return new ProviderError({
    kind: "invalid_response",
    provider,
    message: caught instanceof Error ? caught.message : String(caught),
    cause: caught,
  });
}
