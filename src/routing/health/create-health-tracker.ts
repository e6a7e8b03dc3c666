import { CONNECTION_WAIT_CODE, type ProviderErrorKind } from "../../core/index.js";
import { keepMatching } from "../keep-matching.js";
import type { HealthShare, SharedHealthUpdate } from "./health-share.js";
import type { AttemptOutcome, CooldownSettings, DeploymentSnapshot, HealthChange, HealthStatus, RoutingView } from "./health-types.js";
import { OutcomeCounter } from "./outcome-counter.js";
import { updatePeakEwma } from "./peak-ewma.js";
import { SampleWindow } from "./sample-window.js";

/** Errors that say something about the deployment (not about this one request). */
export const DEPLOYMENT_FAULT_KINDS: ReadonlySet<ProviderErrorKind> = new Set([
  "rate_limit", "quota", "overloaded", "server", "timeout", "connection", "invalid_response", "auth", "not_found",
]);
/** Errors that cool a deployment down at once. */
const IMMEDIATE: ReadonlySet<ProviderErrorKind> = new Set(["auth", "not_found", "quota"]);
const MAX_RETRY_AFTER_COOLDOWN_MS = 5 * 60_000;
/** With a share, how soon a refused probe claim is asked again (the holder may have died; its claim runs out). */
const PROBE_RETRY_MS = 1_000;

/** A shared half-open probe: not asked yet, asked, granted to this instance, or held by another. */
type ProbeClaim = "none" | "pending" | "won" | "lost";

interface State {
  id: string;
  group: string;
  inFlight: number;
  ewmaLatencyMs?: number;
  ewmaTtftMs?: number;
  lastSampleAt: number;
  minute: number;
  rpmUsed: number;
  tpmUsed: number;
  headroom?: AttemptOutcome["rateLimit"];
  failures: number[];
  outcomes: OutcomeCounter;
  cooldownUntil: number;
  probing: boolean;
  claim: ProbeClaim;
  claimAt: number;
  status: HealthStatus;
  lastError?: string;
  lastErrorKind?: ProviderErrorKind;
  latency: SampleWindow;
  ttft: SampleWindow;
}

export interface HealthTracker {
  /** False while cooling down, or while a half-open probe is already out. `at` saves a clock read per deployment. */
  isAvailable(id: string, at?: number): boolean;
  /** The deployments for which `isAvailable` holds: the list itself when none is cooling down, without a look-up each. */
  available<D extends { id: string }>(deployments: readonly D[], at?: number): readonly D[];
  /** Call when an attempt is sent; returns whether it is the half-open probe. */
  begin(id: string, estimatedTokens?: number): void;
  end(id: string, outcome: AttemptOutcome): void;
  snapshot(id: string): DeploymentSnapshot;
  /** The live state strategies read; no copy and no clock read, so cheap enough for every pick. */
  view(id: string): RoutingView;
  /** p95 of successful latency (or time to first token) over a group's deployments; undefined with too few samples. */
  groupP95(group: string, kind: "latency" | "ttft"): number | undefined;
  subscribe(listener: (change: HealthChange) => void): () => void;
  /** The tracker's clock (epoch ms), for strategies that age what they read. */
  now(): number;
}

export interface HealthTrackerOptions {
  deployments: ReadonlyArray<{ id: string; group: string }>;
  cooldown: CooldownSettings;
  /** Epoch milliseconds. */
  now?: () => number;
  /** How far back errorRate looks. */
  rateWindowMs?: number;
  /** Shares cooldowns, failure counts and the half-open probe with other instances; absent: this instance's own health only. */
  share?: HealthShare;
}

export function createHealthTracker(options: HealthTrackerOptions): HealthTracker {
  const now = options.now ?? Date.now;
  const rateWindowMs = options.rateWindowMs ?? 5 * 60_000;
  const { cooldown, share } = options;
  const states = new Map<string, State>();
  const byGroup = new Map<string, State[]>();
  const listeners = new Set<(change: HealthChange) => void>();
  const p95Cache = new Map<string, { at: number; value: number | undefined }>();
  // A deployment leaves COOLING_DOWN only once its cooldown is over: while none is in it and every
  // cooldown ever set has ended, all are available, with no look-up per deployment.
  let coolingDown = 0;
  let lastCooldownEnd = 0;
  for (const { id, group } of options.deployments) {
    const state: State = {
      id, group, inFlight: 0, lastSampleAt: now(), minute: Math.floor(now() / 60_000), rpmUsed: 0, tpmUsed: 0,
      failures: [], outcomes: new OutcomeCounter(rateWindowMs), cooldownUntil: 0, probing: false, claim: "none", claimAt: 0, status: "UNKNOWN",
      latency: new SampleWindow(), ttft: new SampleWindow(),
    };
    states.set(id, state);
    byGroup.set(group, [...(byGroup.get(group) ?? []), state]);
  }

  const get = (id: string): State => {
    const state = states.get(id);
    if (!state) throw new Error(`unknown deployment "${id}"`);
    return state;
  };

  const setStatus = (state: State, status: HealthStatus) => {
    if (state.status === status) return;
    const from = state.status;
    state.status = status;
    if (from === "COOLING_DOWN") coolingDown--;
    if (status === "COOLING_DOWN") coolingDown++;
    const change: HealthChange = { deployment: state.id, group: state.group, from, to: status, snapshot: snapshotOf(state) };
    for (const listener of listeners) listener(change);
  };

  const rollMinute = (state: State, at: number) => {
    const minute = Math.floor(at / 60_000);
    if (minute !== state.minute) {
      state.minute = minute;
      state.rpmUsed = 0;
      state.tpmUsed = 0;
    }
  };

  /** `shared`: the cooldown came from the cluster, so it is not sent back. */
  const startCooldown = (state: State, durationMs: number, shared = false) => {
    // A re-triggered cooldown extends, never shortens.
    state.cooldownUntil = Math.max(state.cooldownUntil, now() + durationMs);
    lastCooldownEnd = Math.max(lastCooldownEnd, state.cooldownUntil);
    state.probing = false;
    state.claim = "none";
    setStatus(state, "COOLING_DOWN");
    if (!shared) share?.cooled(state.id, durationMs);
  };

  /** What the cluster decided, applied as if it had happened here. */
  const applyShared = (update: SharedHealthUpdate) => {
    const state = states.get(update.deployment);
    if (!state) return; // another configuration's deployment on the same Redis
    if (update.kind === "cooling") {
      if (state.status !== "COOLING_DOWN" || now() + update.remainingMs > state.cooldownUntil) startCooldown(state, update.remainingMs, true);
    } else if (state.status !== "COOLING_DOWN") {
      return;
    } else if (update.kind === "healthy") {
      state.cooldownUntil = Math.min(state.cooldownUntil, now());
      state.probing = false;
      state.claim = "none";
      state.failures = [];
      setStatus(state, "HEALTHY");
    } else if (state.claim === "pending") {
      state.claim = update.granted ? "won" : "lost";
      state.claimAt = now();
    }
  };
  share?.attach(applyShared);

  /** Past its cooldown, with a share: only the instance holding the cluster's probe claim may probe. */
  const holdsProbe = (state: State, at: number): boolean => {
    const age = at - state.claimAt;
    if (state.claim === "won" && age < share!.probeClaimMs) return true;
    // Asked and not answered yet, or refused a moment ago (the holder may die: its claim runs out).
    if ((state.claim === "pending" && age < share!.probeClaimMs) || (state.claim === "lost" && age < PROBE_RETRY_MS)) return false;
    state.claim = "pending";
    state.claimAt = at;
    share!.claimProbe(state.id);
    return false;
  };

  function snapshotOf(state: State): DeploymentSnapshot {
    const at = now();
    rollMinute(state, at);
    const { attempts, failures } = state.outcomes.read(at);
    return {
      id: state.id,
      status: state.status === "COOLING_DOWN" && state.cooldownUntil <= at ? "DEGRADED" : state.status,
      inFlight: state.inFlight,
      ...(state.ewmaLatencyMs !== undefined ? { ewmaLatencyMs: state.ewmaLatencyMs } : {}),
      ...(state.ewmaTtftMs !== undefined ? { ewmaTtftMs: state.ewmaTtftMs } : {}),
      rpmUsed: state.rpmUsed,
      tpmUsed: state.tpmUsed,
      ...(state.headroom ? { headroom: state.headroom } : {}),
      errorRate: attempts === 0 ? 0 : failures / attempts,
      attempts,
      ...(state.cooldownUntil > at ? { cooldownUntil: state.cooldownUntil } : {}),
      ...(state.lastError ? { lastError: state.lastError } : {}),
      ...(state.lastErrorKind ? { lastErrorKind: state.lastErrorKind } : {}),
      ...optional("latencyP50Ms", state.latency.percentile(0.5)),
      ...optional("latencyP95Ms", state.latency.percentile(0.95)),
      ...optional("ttftP50Ms", state.ttft.percentile(0.5)),
    };
  }

  const isAvailable = (id: string, at?: number): boolean => {
    const state = get(id);
    if (state.cooldownUntil === 0) return true;
    if (state.cooldownUntil > (at ?? now())) return false;
    // Past its cooldown a deployment is half-open: one probe at a time (in the cluster, with a share) until one succeeds.
    if (state.status !== "COOLING_DOWN") return true;
    return !state.probing && (share === undefined || holdsProbe(state, at ?? now()));
  };

  return {
    isAvailable,

    available(deployments, at) {
      if (coolingDown === 0 && lastCooldownEnd === 0) return deployments;
      const when = at ?? now();
      if (coolingDown === 0 && lastCooldownEnd <= when) return deployments;
      return keepMatching(deployments, (d) => isAvailable(d.id, when));
    },

    begin(id, estimatedTokens = 0) {
      const state = get(id);
      const at = now();
      rollMinute(state, at);
      state.inFlight++;
      state.rpmUsed++;
      state.tpmUsed += estimatedTokens;
      if (state.status === "COOLING_DOWN" && state.cooldownUntil <= at) state.probing = true;
    },

    end(id, outcome) {
      const state = get(id);
      const at = now();
      state.inFlight = Math.max(0, state.inFlight - 1);
      if (outcome.rateLimit) state.headroom = outcome.rateLimit;
      if (outcome.tokens) state.tpmUsed += outcome.tokens;
      // Cancelled, or never sent because our own pool was full: nothing learnt about the deployment.
      if (!outcome.ok && (outcome.errorKind === "cancelled" || outcome.errorCode === CONNECTION_WAIT_CODE)) {
        state.probing = false;
        return;
      }
      const counted = outcome.ok || (outcome.errorKind !== undefined && DEPLOYMENT_FAULT_KINDS.has(outcome.errorKind));
      if (!counted) return;
      state.outcomes.record(at, outcome.ok);
      if (outcome.ok) {
        state.ewmaLatencyMs = updatePeakEwma(state.ewmaLatencyMs, outcome.latencyMs, at - state.lastSampleAt);
        if (outcome.ttftMs !== undefined) state.ewmaTtftMs = updatePeakEwma(state.ewmaTtftMs, outcome.ttftMs, at - state.lastSampleAt);
        state.lastSampleAt = at;
        state.latency.add(outcome.latencyMs);
        if (outcome.ttftMs !== undefined) state.ttft.add(outcome.ttftMs);
        if (state.status === "COOLING_DOWN" && state.cooldownUntil > at) return; // a straggler from before the cooldown
        const recovered = state.status === "COOLING_DOWN";
        state.probing = false;
        state.claim = "none";
        state.failures = [];
        setStatus(state, "HEALTHY");
        if (recovered) share?.recovered(id);
        else share?.success(id);
        return;
      }
      state.lastError = outcome.errorMessage ?? outcome.errorKind;
      state.lastErrorKind = outcome.errorKind;
      const kind = outcome.errorKind!;
      if (state.status === "COOLING_DOWN" && state.probing) return startCooldown(state, cooldown.durationMs);
      if (IMMEDIATE.has(kind)) return startCooldown(state, cooldown.durationMs);
      if (kind === "rate_limit" && outcome.retryAfterMs !== undefined) {
        return startCooldown(state, Math.min(Math.max(outcome.retryAfterMs, 1), MAX_RETRY_AFTER_COOLDOWN_MS));
      }
      state.failures = state.failures.filter((t) => t > at - cooldown.windowMs);
      state.failures.push(at);
      if (state.failures.length >= cooldown.failures) return startCooldown(state, cooldown.durationMs);
      share?.failure(id);
      if (state.status !== "COOLING_DOWN") setStatus(state, "DEGRADED");
    },

    snapshot: (id) => snapshotOf(get(id)),

    // The live state itself: per-minute counters roll over on the next attempt or snapshot.
    view: (id) => get(id),

    groupP95(group, kind) {
      const key = `${group}\u0000${kind}`;
      const at = now();
      const cached = p95Cache.get(key);
      if (cached && at - cached.at < 1000) return cached.value;
      const samples: number[] = [];
      for (const state of byGroup.get(group) ?? []) samples.push(...(kind === "latency" ? state.latency : state.ttft).values());
      let value: number | undefined;
      if (samples.length >= 20) {
        samples.sort((a, b) => a - b);
        value = samples[Math.ceil(0.95 * samples.length) - 1];
      }
      p95Cache.set(key, { at, value });
      return value;
    },

    now,

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function optional<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}
