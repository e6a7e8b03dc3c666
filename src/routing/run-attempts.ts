import { LightAbort, ProviderError, emptyUsage } from "../core/index.js";
import { AllDeploymentsFailedError } from "./all-deployments-failed-error.js";
import type { Attempt } from "./attempt.js";
import { startAttempt, type AttemptResult, type AttemptRun, type StartedAttempt } from "./attempt-runner.js";
import { backoffDelay } from "./backoff-delay.js";
import type { HealthTracker } from "./health/create-health-tracker.js";
import type { RequestFeature } from "./feature-rejections.js";
import { keepMatching } from "./keep-matching.js";
import type { BackoffSettings, Deployment, ModelGroup } from "./model-group.js";

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
  /** The group's strategy over the eligible deployments. */
  pick(group: ModelGroup, eligible: readonly Deployment[]): Deployment;
  health?: HealthTracker;
  /** Delay before a hedge for this group, or undefined for no hedging. */
  hedgeDelayMs?(group: ModelGroup): number | undefined;
  promptTokens: number;
  /** A `bad_request` that says the deployment lacks a feature the request uses (not that the request is wrong). */
  rejectedFeature?(error: ProviderError): RequestFeature | undefined;
  /** Told of each such refusal, so later requests are routed around the deployment. */
  onFeatureRejected?(deployment: Deployment, feature: RequestFeature): void;
  run: AttemptRun<T>;
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
 * The one place that retries and falls back. Walks the start group, then its fallbacks; within a
 * group a retry prefers a healthy deployment not yet tried and backs off before reusing one.
 * Cooled-down deployments are never called; a group with none available counts as rate-limited.
 */
export async function runAttempts<T>(options: RunAttemptsOptions<T>): Promise<RunAttemptsResult<T>> {
  const attempts: Attempt[] = [];
  const queue: ModelGroup[] = [options.start];
  const visited = new Set<string>([options.start.name]);
  const enqueue = (names: string[], position: "front" | "back" | "replace") => {
    if (names.length === 0 && position !== "replace") return;
    const groups = names.map((name) => options.findGroup(name)).filter((g): g is ModelGroup => !!g && !visited.has(g.name));
    groups.forEach((g) => visited.add(g.name));
    if (position === "replace") queue.length = 0;
    if (position === "front") queue.unshift(...groups);
    else queue.push(...groups);
  };
  enqueue(options.start.fallbacks, "back");
  // The last failure was a deployment refusing a feature: the request is fine, no deployment could serve it.
  let lastRefusedFeature = false;

  while (queue.length > 0) {
    const group = queue.shift()!;
    const servable = options.canServe ? keepMatching(group.deployments, (d) => options.canServe!(d)) : group.deployments;
    if (servable.length === 0) {
      enqueue(orDefault(group.contextWindowFallbacks, options.defaultFallbacks.contextWindow), "front");
      continue;
    }
    // Made at the first failure that needs them: most calls succeed at the first attempt.
    let tried: Set<string> | undefined;
    let unusable: Set<string> | undefined;
    let sameDeploymentRetries = 0;
    let lastError: ProviderError | undefined;
    let onlyRateLimits = true;
    let redirect: string[] | undefined;

    for (let n = 0; n <= group.retries; n++) {
      throwIfStopped(options, attempts);
      const available = options.health ? options.health.available(servable) : servable;
      const usable = unusable === undefined ? available : keepMatching(available, (d) => !unusable!.has(d.id));
      if (usable.length === 0) break; // all cooling down or unusable: rate-limit fallbacks below
      const fresh = tried === undefined ? usable : keepMatching(usable, (d) => !tried!.has(d.id));
      const deployment = options.pick(group, fresh.length > 0 ? fresh : usable);
      if (fresh.length === 0 && lastError) {
        const delay = backoffDelay(sameDeploymentRetries++, options.backoff, options.random, lastError.retryAfterMs);
        if (options.now() + delay >= options.deadlineAt) throw new AllDeploymentsFailedError(options.requestedModel, attempts, "TIMEOUT");
        await options.sleep(delay, options.signal).catch(() => undefined);
        throwIfStopped(options, attempts);
      }

      const hedgeDelay = usable.some((d) => d.id !== deployment.id) ? options.hedgeDelayMs?.(group) : undefined;
      // Without a hedge the attempt is awaited here: an async layer of its own cost a promise and a microtask a call.
      const outcome =
        hedgeDelay === undefined
          ? outcomeOf(await launch(options, group, deployment, attempts, false, false).result, attempts)
          : await attemptWithHedge(options, group, deployment, usable, attempts, hedgeDelay);
      if (outcome.ok) return { value: outcome.success.value, group, deployment: outcome.attempt.deployment, attempts };
      throwIfStopped(options, attempts);
      const error = outcome.error;
      lastError = error;
      if (error.kind !== "rate_limit") onlyRateLimits = false;
      const feature = options.rejectedFeature?.(error);
      lastRefusedFeature = feature !== undefined;
      if (feature !== undefined) {
        // The deployment lacks what the request needs (the catalog did not know): remember it, try the others.
        for (const a of outcome.failed) {
          if (a.error !== undefined && options.rejectedFeature!(a.error) === feature) {
            options.onFeatureRejected?.(a.deployment, feature);
            (unusable ??= new Set()).add(a.deployment.id);
          } else (tried ??= new Set()).add(a.deployment.id);
        }
        n--;
        continue;
      }

      if (error.kind === "bad_request") throw new AllDeploymentsFailedError(options.requestedModel, attempts, "BAD_USER_INPUT");
      if (error.kind === "context_window") {
        redirect = orDefault(group.contextWindowFallbacks, options.defaultFallbacks.contextWindow);
        break;
      }
      if (error.kind === "content_policy") {
        redirect = orDefault(group.contentPolicyFallbacks, options.defaultFallbacks.contentPolicy);
        break;
      }
      for (const a of outcome.failed) {
        if (DEPLOYMENT_PERMANENT.has(a.error!.kind) || !a.error!.retryable) (unusable ??= new Set()).add(a.deployment.id);
        else (tried ??= new Set()).add(a.deployment.id);
      }
      if (DEPLOYMENT_PERMANENT.has(error.kind) || !error.retryable) n--; // a deployment that cannot serve does not use up a retry
    }
    if (redirect) enqueue(redirect, "replace");
    else if (onlyRateLimits) enqueue(orDefault(group.rateLimitFallbacks, options.defaultFallbacks.rateLimit), "front");
  }
  throw new AllDeploymentsFailedError(options.requestedModel, attempts, lastRefusedFeature ? "BAD_USER_INPUT" : "ALL_DEPLOYMENTS_FAILED");
}

type HedgeOutcome<T> =
  | { ok: true; success: Extract<AttemptResult<T>, { ok: true }>["success"]; attempt: Attempt }
  | { ok: false; error: ProviderError; failed: Attempt[] };

/** Starts one attempt of the group on a deployment; `cancellable` when it races in a hedge. */
function launch<T>(options: RunAttemptsOptions<T>, group: ModelGroup, deployment: Deployment, attempts: Attempt[], hedged: boolean, cancellable: boolean): StartedAttempt<T> {
  return startAttempt({
    index: attempts.length + (hedged ? 1 : 0),
    group,
    deployment,
    hedged,
    parent: options.signal,
    cancellable,
    deadlineAt: options.deadlineAt,
    promptTokens: options.promptTokens,
    now: options.now,
    wallClock: options.wallClock,
    health: options.health,
    run: options.run,
  });
}

/** A single attempt's result, added to the attempts. */
function outcomeOf<T>(result: AttemptResult<T>, attempts: Attempt[]): HedgeOutcome<T> {
  attempts.push(result.attempt);
  return result.ok ? { ok: true, success: result.success, attempt: result.attempt } : { ok: false, error: result.error, failed: [result.attempt] };
}

/**
 * Runs one attempt of a hedging group: starts a second on another deployment when the first has not
 * answered within the hedge delay, keeps whichever succeeds first and cancels the other.
 */
async function attemptWithHedge<T>(
  options: RunAttemptsOptions<T>,
  group: ModelGroup,
  deployment: Deployment,
  usable: readonly Deployment[],
  attempts: Attempt[],
  delay: number,
): Promise<HedgeOutcome<T>> {
  const primary = launch(options, group, deployment, attempts, false, true);
  const hedgeTimer = new LightAbort();
  const first = await Promise.race([
    primary.result,
    options.sleep(delay, hedgeTimer.asSignal).then(() => undefined, () => undefined),
  ]);
  if (first !== undefined) {
    hedgeTimer.abort();
    return outcomeOf(first, attempts);
  }

  const others = usable.filter((d) => d.id !== deployment.id);
  const secondary = launch(options, group, options.pick(group, others), attempts, true, true);
  const racers = [primary, secondary];
  const results = racers.map((r) => r.result);
  const winner = await firstSuccess(results);
  if (winner) for (const racer of racers) if (racer.deployment !== winner.attempt.deployment) racer.abort();
  const settled = await Promise.all(results);
  for (const result of settled) {
    attempts.push(result.attempt);
    if (result !== winner && result.attempt.outcome === "CANCELLED") {
      // The loser was sent and read the prompt before it was cancelled.
      result.attempt.usage = { ...emptyUsage(), inputTokens: options.promptTokens };
    }
  }
  attempts.forEach((a, i) => (a.index = i));
  if (winner) return { ok: true, success: winner.success, attempt: winner.attempt };
  const failures = settled.filter((r): r is Extract<AttemptResult<T>, { ok: false }> => !r.ok);
  return { ok: false, error: failures[failures.length - 1]!.error, failed: failures.map((f) => f.attempt) };
}

function firstSuccess<T>(results: Array<Promise<AttemptResult<T>>>): Promise<Extract<AttemptResult<T>, { ok: true }> | undefined> {
  return new Promise((resolve) => {
    let pending = results.length;
    for (const result of results) {
      void result.then((r) => {
        if (r.ok) resolve(r);
        else if (--pending === 0) resolve(undefined);
      });
    }
  });
}

function orDefault(list: string[], fallback: string[]): string[] {
  return list.length > 0 ? list : fallback;
}

function throwIfStopped(options: RunAttemptsOptions<unknown>, attempts: Attempt[]): void {
  if (options.signal?.aborted) throw new AllDeploymentsFailedError(options.requestedModel, attempts, "CANCELLED");
  if (options.now() >= options.deadlineAt) throw new AllDeploymentsFailedError(options.requestedModel, attempts, "TIMEOUT");
}
