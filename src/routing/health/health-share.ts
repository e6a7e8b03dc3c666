/**
 * The port through which a health tracker shares cooldowns and half-open probes with the other
 * instances of a cluster (the Redis implementation is src/state/create-redis-health-share.ts).
 * Every method returns at once: what it sends goes out in the background, and what the cluster
 * decides comes back through the `apply` function given to `attach`. Without a share, a tracker
 * keeps its health to itself.
 */
export interface HealthShare {
  /** Called once by the tracker it serves. */
  attach(apply: (update: SharedHealthUpdate) => void): void;
  /** A failure that counts toward a cooldown (the cluster's count, over the cooldown's window). */
  failure(deployment: string): void;
  /** A success: the failures counted so far no longer count. */
  success(deployment: string): void;
  /** This instance started (or extended) a cooldown of `durationMs`. */
  cooled(deployment: string, durationMs: number): void;
  /** This instance's half-open probe succeeded. */
  recovered(deployment: string): void;
  /** Asks for the cluster's one half-open probe; the answer comes back as a `probe` update. */
  claimProbe(deployment: string): void;
  /** How long a granted probe stays this instance's. */
  readonly probeClaimMs: number;
}

export type SharedHealthUpdate =
  /** The deployment cools down for `remainingMs` more, on every instance. */
  | { deployment: string; kind: "cooling"; remainingMs: number }
  /** A half-open probe succeeded (on any instance): the cooldown is over. */
  | { deployment: string; kind: "healthy" }
  /** The answer to claimProbe. */
  | { deployment: string; kind: "probe"; granted: boolean };
