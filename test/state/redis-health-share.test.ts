import { afterAll, describe, expect, it, vi } from "vitest";
import { createHealthTracker, type CooldownSettings, type HealthChange, type HealthTracker } from "../../src/routing/index.js";
import { createRedisHealthShare, createRedisStateStore, type RedisHealthShare, type RedisStateStore } from "../../src/state/index.js";
import { startTcpProxy, type TcpProxy } from "../helpers/tcp-proxy.js";
import { deleteKeysUnder, findTestRedis, uniqueKeyPrefix } from "../helpers/test-redis.js";

const redisUrl = await findTestRedis();
const prefixes: string[] = [];
const closers: Array<() => Promise<void>> = [];

interface Instance {
  health: HealthTracker;
  share: RedisHealthShare;
  store: RedisStateStore;
  changes: HealthChange[];
  warnings: object[];
}

/** One gateway instance's health: its own Redis clients, its own tracker, the cluster's prefix. */
async function instance(keyPrefix: string, cooldown: CooldownSettings, url = redisUrl!): Promise<Instance> {
  const store = await createRedisStateStore({ url, keyPrefix, commandTimeoutMs: 1_000, connectTimeoutMs: 2_000 });
  const warnings: object[] = [];
  const share = await createRedisHealthShare({
    client: store.client,
    keyPrefix,
    cooldown,
    deployments: ["x", "y"],
    reconcileMs: 200,
    logger: { warn: (object) => warnings.push(object), info: () => undefined },
  });
  const health = createHealthTracker({ deployments: [{ id: "x", group: "g" }, { id: "y", group: "g" }], cooldown, share });
  const changes: HealthChange[] = [];
  health.subscribe((change) => changes.push(change));
  closers.push(async () => {
    await share.close();
    await store.close();
  });
  return { health, share, store, changes, warnings };
}

/** Two instances of one cluster (a prefix of their own, unique to this test run). */
async function cluster(cooldown: CooldownSettings): Promise<[Instance, Instance]> {
  const keyPrefix = uniqueKeyPrefix();
  prefixes.push(keyPrefix);
  return [await instance(keyPrefix, cooldown), await instance(keyPrefix, cooldown)];
}

const fail = (at: Instance, id: string, errorKind: "server" | "auth" = "server") => {
  at.health.begin(id);
  at.health.end(id, { ok: false, errorKind, latencyMs: 1 });
};
const succeed = (at: Instance, id: string) => {
  at.health.begin(id);
  at.health.end(id, { ok: true, latencyMs: 1 });
};
const waitFor = (check: () => void) => vi.waitFor(check, { timeout: 5_000, interval: 20 });
const LONG: CooldownSettings = { failures: 2, windowMs: 60_000, durationMs: 60_000 };

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  if (redisUrl) await deleteKeysUnder(redisUrl, prefixes);
});

// Skipped only when REDIS_URL is unset and no local Redis answers; with REDIS_URL set (CI), a Redis that is down fails.
describe.skipIf(redisUrl === undefined)("health shared through Redis", () => {
  it("a cooldown set on one instance is honoured by the other, and its subscribers see it", async () => {
    const [a, b] = await cluster(LONG);
    fail(a, "x", "auth");
    expect(a.health.isAvailable("x")).toBe(false);
    await waitFor(() => expect(b.health.isAvailable("x")).toBe(false));
    expect(b.health.snapshot("x")).toMatchObject({ status: "COOLING_DOWN", cooldownUntil: expect.any(Number) });
    expect(b.changes).toEqual([expect.objectContaining({ deployment: "x", from: "UNKNOWN", to: "COOLING_DOWN" })]);
    expect(b.health.available([{ id: "x" }, { id: "y" }])).toEqual([{ id: "y" }]);
  });

  it("counts failures over the cluster: two instances with one failure each reach a count of two", async () => {
    const [a, b] = await cluster(LONG);
    fail(a, "x");
    fail(b, "x");
    expect(a.health.snapshot("x").status).toBe("DEGRADED"); // one failure each: neither cools down alone
    await a.share.flush();
    await b.share.flush();
    await waitFor(() => {
      expect(a.health.snapshot("x").status).toBe("COOLING_DOWN");
      expect(b.health.snapshot("x").status).toBe("COOLING_DOWN");
    });
    expect(a.health.snapshot("y").status).toBe("UNKNOWN");
  });

  it("a success anywhere clears the count, as on one instance", async () => {
    const [a, b] = await cluster(LONG);
    fail(a, "x");
    await a.share.flush();
    succeed(b, "x");
    await b.share.flush();
    fail(b, "x");
    await b.share.flush();
    await a.share.flush();
    expect(a.health.snapshot("x").status).toBe("DEGRADED");
    expect(b.health.snapshot("x").status).toBe("DEGRADED");
  });

  it("lets one probe out per cluster after the cooldown; its success ends the cooldown everywhere", async () => {
    const [a, b] = await cluster({ failures: 2, windowMs: 60_000, durationMs: 300 });
    fail(a, "x", "auth");
    await waitFor(() => expect(b.health.snapshot("x").status).toBe("COOLING_DOWN"));
    // Half-open: each instance asks for the probe; Redis grants it to one.
    await waitFor(() => {
      const open = [a, b].filter((i) => i.health.isAvailable("x"));
      expect(open).toHaveLength(1);
    });
    await a.share.flush();
    await b.share.flush();
    expect([a, b].filter((i) => i.health.isAvailable("x"))).toHaveLength(1); // still one, asked again
    const [prober, other] = a.health.isAvailable("x") ? [a, b] : [b, a];
    succeed(prober, "x");
    expect(prober.health.snapshot("x").status).toBe("HEALTHY");
    await waitFor(() => expect(other.health.snapshot("x").status).toBe("HEALTHY"));
    expect(other.health.isAvailable("x")).toBe(true);
    expect(other.changes.map((c) => c.to)).toEqual(["COOLING_DOWN", "HEALTHY"]);
  });

  it("a failed probe cools every instance down again", async () => {
    const [a, b] = await cluster({ failures: 2, windowMs: 60_000, durationMs: 300 });
    fail(a, "x", "auth");
    await waitFor(() => expect([a, b].filter((i) => i.health.isAvailable("x"))).toHaveLength(1));
    const [prober, other] = a.health.isAvailable("x") ? [a, b] : [b, a];
    const before = other.health.snapshot("x").cooldownUntil;
    fail(prober, "x");
    await waitFor(() => expect(other.health.snapshot("x").cooldownUntil ?? 0).toBeGreaterThan(before ?? Date.now()));
    expect(other.health.isAvailable("x")).toBe(false);
  });

  describe("with Redis gone", () => {
    let proxy: TcpProxy;
    it("an instance keeps its own health: cooldowns and probes work locally, one typed warning, no error thrown", async () => {
      const keyPrefix = uniqueKeyPrefix();
      prefixes.push(keyPrefix);
      const { hostname, port } = new URL(redisUrl!);
      proxy = await startTcpProxy(hostname, Number(port || 6379));
      closers.push(() => proxy.close());
      const cooldown = { failures: 2, windowMs: 60_000, durationMs: 300 };
      const a = await instance(keyPrefix, cooldown);
      const b = await instance(keyPrefix, cooldown, `redis://127.0.0.1:${proxy.port}`);
      await proxy.cut();

      fail(b, "x", "auth"); // B cannot tell anyone
      expect(b.health.isAvailable("x")).toBe(false);
      await b.share.flush();
      expect(b.warnings).toEqual([expect.objectContaining({ event: "shared_health_unavailable", err: expect.objectContaining({ name: "StateStoreError" }) })]);
      expect(b.share.sharing()).toBe(false);
      await a.share.flush();
      expect(a.health.isAvailable("x")).toBe(true);

      // Past the cooldown B asks for the probe, cannot reach Redis, and probes on its own.
      await waitFor(() => expect(b.health.isAvailable("x")).toBe(true));
      succeed(b, "x");
      expect(b.health.snapshot("x").status).toBe("HEALTHY");
      expect(b.warnings).toHaveLength(1);

      // Back: B shares again.
      await proxy.restore();
      await waitFor(async () => {
        fail(b, "y", "auth");
        await b.share.flush();
        expect(a.health.snapshot("y").status).toBe("COOLING_DOWN");
      });
      expect(b.share.sharing()).toBe(true);
      // ... and hears again: its subscriber connection came back by itself.
      await waitFor(() => expect(b.health.snapshot("x").status).toBe("HEALTHY"));
      fail(a, "x", "auth");
      await waitFor(() => expect(b.health.snapshot("x").status).toBe("COOLING_DOWN"));
    });
  });
});
