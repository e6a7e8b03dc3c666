import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { HealthShare, SharedHealthUpdate } from "../routing/health/health-share.js";
import type { CooldownSettings } from "../routing/health/health-types.js";
import { REDIS_HEALTH_SCRIPTS, type RedisHealthScript } from "./redis-health-scripts.js";
import { StateStoreError } from "./state-store-error.js";

export interface RedisHealthShareOptions {
  /** Runs the scripts; the caller owns it (the Redis state store's client). A duplicate of it subscribes. */
  client: Redis;
  /** The state store's key prefix. */
  keyPrefix: string;
  /** The same on every instance of the cluster: the shared failure count starts a cooldown of `durationMs`. */
  cooldown: CooldownSettings;
  /** Deployment ids this instance routes to (reconciled every `reconcileMs`). */
  deployments: readonly string[];
  /** How long failures and successes wait to go out together. Default 100 ms. */
  flushMs?: number;
  /** How often the cooldowns held in Redis are read again, for a change whose message was lost. Default 1 s. */
  reconcileMs?: number;
  /** How long a half-open probe's claim lasts when its instance never reports (it died). Default 30 s. */
  probeClaimMs?: number;
  logger: { warn(object: object, message: string): void; info(object: object, message: string): void };
}

export interface RedisHealthShare extends HealthShare {
  /** False from a failed Redis command until the next one succeeds: health is then this instance's own. */
  sharing(): boolean;
  /** Sends what is waiting and reads the cooldowns held in Redis now (tests, shutdown). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

interface Pending {
  cooledMs: number;
  recovered: boolean;
  reset: boolean;
  failures: number;
}

type ScriptCall = (numberOfKeys: number, ...keysAndArgs: string[]) => Promise<unknown>;
const LINGER_MS = 10 * 60_000;

/**
 * Health shared by every instance through Redis (see redis-health-scripts.ts for the keys). The
 * request path never waits on Redis: routing reads the tracker's own state, which this keeps in
 * step with the cluster's. Failures and successes go out in one script call per `flushMs`, a
 * cooldown or recovery at once; every change comes back over pub/sub on a second connection, and
 * the cooldowns are read again every `reconcileMs` in case a message was lost. While Redis is away
 * each instance keeps its own health as without a share (a probe claim is granted locally) and one
 * warning is logged until Redis answers again.
 */
export async function createRedisHealthShare(options: RedisHealthShareOptions): Promise<RedisHealthShare> {
  const { client, keyPrefix, cooldown, logger } = options;
  const flushMs = options.flushMs ?? 100;
  const reconcileMs = options.reconcileMs ?? 1_000;
  const probeClaimMs = options.probeClaimMs ?? 30_000;
  const holder = randomUUID();
  const channel = `${keyPrefix}health:changes`;
  const stateKey = (id: string) => `${keyPrefix}health:state:${id}`;
  const known = new Set(options.deployments);
  for (const [name, lua] of Object.entries(REDIS_HEALTH_SCRIPTS)) client.defineCommand(name, { lua });
  const scripts = client as unknown as Record<RedisHealthScript, ScriptCall>;
  const run = (script: RedisHealthScript, keys: readonly string[], args: readonly string[]) => scripts[script](keys.length, ...keys, ...args);

  let apply: (update: SharedHealthUpdate) => void = () => undefined;
  let down = false;
  let closed = false;
  const failed = (operation: string, error: unknown) => {
    if (down || closed) return;
    down = true;
    const err = new StateStoreError(`health.${operation}`, "Redis is unavailable: health is kept per instance until it answers again", error);
    logger.warn({ err, event: "shared_health_unavailable" }, "shared health: Redis is unavailable, each instance keeps its own health until it is back");
  };
  const answered = () => {
    if (!down) return;
    down = false;
    logger.info({ event: "shared_health_restored" }, "shared health: Redis answers again, health is shared");
  };

  const pending = new Map<string, Pending>();
  const entry = (id: string): Pending => {
    let p = pending.get(id);
    if (!p) pending.set(id, (p = { cooledMs: 0, recovered: false, reset: false, failures: 0 }));
    return p;
  };
  let timer: NodeJS.Timeout | undefined;
  let sending: Promise<void> | undefined;
  const schedule = (delayMs: number) => {
    if (closed || sending) return; // the report in flight schedules the next one
    if (timer && delayMs > 0) return;
    clearTimeout(timer);
    timer = setTimeout(() => void send(), delayMs);
    timer.unref();
  };
  const send = async (): Promise<void> => {
    timer = undefined;
    if (pending.size === 0) return;
    const batch = [...pending];
    pending.clear();
    const keys: string[] = [];
    const args = [channel, String(cooldown.windowMs), String(cooldown.failures), String(cooldown.durationMs), String(LINGER_MS), randomUUID()];
    // More failures than start a cooldown count no more than that many.
    for (const [id, p] of batch) {
      keys.push(stateKey(id), `${keyPrefix}health:failures:${id}`, `${keyPrefix}health:probe:${id}`);
      args.push(id, String(Math.ceil(p.cooledMs)), p.recovered ? "1" : "0", p.reset ? "1" : "0", String(Math.min(p.failures, cooldown.failures)));
    }
    sending = run("switchyardReportHealth", keys, args).then(answered, (error: unknown) => failed("report", error));
    await sending;
    sending = undefined;
    if (pending.size > 0) schedule([...pending.values()].some((p) => p.cooledMs > 0 || p.recovered) ? 0 : flushMs);
  };

  let reconciling = false;
  const reconcile = async () => {
    if (reconciling || closed || known.size === 0) return;
    reconciling = true;
    try {
      const ids = [...known];
      const remaining = (await run("switchyardReadCooldowns", ids.map(stateKey), [])) as number[];
      answered();
      remaining.forEach((ms, i) => {
        if (ms > 0) apply({ deployment: ids[i]!, kind: "cooling", remainingMs: ms });
      });
    } catch (error) {
      failed("reconcile", error);
    } finally {
      reconciling = false;
    }
  };

  // Pub/sub needs a connection of its own: a subscribed client runs no other command. It subscribes again
  // after a reconnect here, not through ioredis's autoResubscribe, whose own subscribe is never awaited:
  // when the connection drops again at that moment, its rejection went unhandled.
  const subscriber = client.duplicate({ autoResubscribe: false });
  let subscribed = false;
  subscriber.on("error", () => undefined); // the command client's failures are what get logged
  subscriber.on("message", (from: string, text: string) => {
    if (from !== channel) return;
    const update = parseChange(text);
    if (update && known.has(update.deployment)) apply(update);
  });
  // After a reconnect: subscribe again (a failure means the connection dropped again, and its next
  // "ready" tries again) and read back what was published meanwhile.
  subscriber.on("ready", () => {
    if (!subscribed) return;
    subscriber.subscribe(channel).catch(() => undefined);
    void reconcile();
  });
  try {
    if (subscriber.status === "wait") await subscriber.connect();
    await subscriber.subscribe(channel);
    subscribed = true;
  } catch (error) {
    subscriber.disconnect();
    throw new StateStoreError("health.subscribe", "Cannot subscribe to the shared health's changes in Redis", error);
  }
  const reconciler = setInterval(() => void reconcile(), reconcileMs);
  reconciler.unref();

  return {
    probeClaimMs,
    sharing: () => !down,
    attach(target) {
      apply = target;
      void reconcile();
    },
    failure(id) {
      const p = entry(id);
      if (p.cooledMs > 0) return; // a straggler: the cooldown is already on its way
      p.failures++;
      schedule(flushMs);
    },
    success(id) {
      const p = pending.get(id);
      if (p?.reset && p.failures === 0) return;
      const q = p ?? entry(id);
      q.reset = true;
      q.failures = 0;
      schedule(flushMs);
    },
    cooled(id, durationMs) {
      pending.set(id, { cooledMs: Math.max(pending.get(id)?.cooledMs ?? 0, durationMs), recovered: false, reset: false, failures: 0 });
      schedule(0);
    },
    recovered(id) {
      pending.set(id, { cooledMs: 0, recovered: true, reset: false, failures: 0 });
      schedule(0);
    },
    claimProbe(id) {
      if (closed) return apply({ deployment: id, kind: "probe", granted: true });
      run("switchyardClaimProbe", [stateKey(id), `${keyPrefix}health:probe:${id}`], [holder, String(probeClaimMs)]).then(
        (reply) => {
          answered();
          const [outcome, remainingMs] = reply as [number, number?];
          if (outcome === 0) apply({ deployment: id, kind: "cooling", remainingMs: remainingMs! });
          else apply({ deployment: id, kind: "probe", granted: outcome === 1 });
        },
        (error: unknown) => {
          failed("claimProbe", error);
          apply({ deployment: id, kind: "probe", granted: true }); // as without a share: this instance probes
        },
      );
    },
    async flush() {
      clearTimeout(timer);
      await sending;
      await send();
      await reconcile();
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      clearInterval(reconciler);
      await sending;
      await subscriber.quit().catch(() => subscriber.disconnect());
    },
  };
}

function parseChange(text: string): SharedHealthUpdate | undefined {
  try {
    const message = JSON.parse(text) as { d?: unknown; s?: unknown; ms?: unknown };
    if (typeof message.d !== "string") return undefined;
    if (message.s === "healthy") return { deployment: message.d, kind: "healthy" };
    if (message.s === "cooling" && typeof message.ms === "number" && message.ms > 0) return { deployment: message.d, kind: "cooling", remainingMs: message.ms };
  } catch {
    // not ours
  }
  return undefined;
}
