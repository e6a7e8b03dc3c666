/**
 * What sharing health through Redis costs an attempt on the request path: begin + end on the health
 * tracker (and a routing filter) per attempt, without a share and with the Redis share, in the same
 * run, alternating rounds. Prints ns per attempt and the ratio; then how long a cooldown set on one
 * instance takes to reach a second instance's subscribers. Needs Redis (REDIS_URL or 127.0.0.1:6379).
 *   node --import ./test/helpers/swc-node/register.mjs bench/health-share-overhead.ts
 */
import { createHealthTracker, type HealthTracker } from "../src/routing/index.js";
import { createRedisHealthShare, createRedisStateStore } from "../src/state/index.js";

const url = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const keyPrefix = `sy-bench:${process.pid}:`;
const ids = Array.from({ length: 8 }, (_, i) => `d${i}`);
const list = ids.map((id) => ({ id }));
const cooldown = { failures: 1_000_000, windowMs: 60_000, durationMs: 30_000 };
const ATTEMPTS = 200_000;

function run(health: HealthTracker): number {
  const started = process.hrtime.bigint();
  for (let i = 0; i < ATTEMPTS; i++) {
    const id = ids[i % ids.length]!;
    health.available(list);
    health.begin(id);
    // One attempt in 20 fails (a counted server error), the rest succeed.
    health.end(id, i % 20 === 0 ? { ok: false, errorKind: "server", latencyMs: 5 } : { ok: true, latencyMs: 5 });
  }
  return Number(process.hrtime.bigint() - started) / ATTEMPTS;
}

const store = await createRedisStateStore({ url, keyPrefix });
const share = await createRedisHealthShare({ client: store.client, keyPrefix, cooldown, deployments: ids, logger: { warn: console.warn, info: () => undefined } });
const deployments = ids.map((id) => ({ id, group: "g" }));
const local = createHealthTracker({ deployments, cooldown });
const shared = createHealthTracker({ deployments, cooldown, share });
const results = { local: [] as number[], shared: [] as number[] };
for (let round = 0; round < 6; round++) {
  results.local.push(run(local));
  results.shared.push(run(shared));
  await share.flush(); // let the batched reports go out between rounds, as the timer would
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`ns per attempt (median of 6 rounds of ${ATTEMPTS}): local ${median(results.local).toFixed(0)}, shared ${median(results.shared).toFixed(0)}, ratio ${(median(results.shared) / median(results.local)).toFixed(2)}`);

// How long a cooldown set on one instance takes to reach another's subscribers: a deployment per trial.
const probes = Array.from({ length: 20 }, (_, i) => ({ id: `p${i}`, group: "p" }));
const otherStore = await createRedisStateStore({ url, keyPrefix });
const pair = await Promise.all([store, otherStore].map((s) => createRedisHealthShare({ client: s.client, keyPrefix, cooldown, deployments: probes.map((d) => d.id), logger: { warn: console.warn, info: () => undefined } })));
const [from, to] = pair.map((s) => createHealthTracker({ deployments: probes, cooldown, share: s }));
const delays: number[] = [];
for (const { id } of probes) {
  const reached = new Promise<number>((resolve) => {
    const stop = to!.subscribe((change) => {
      if (change.deployment === id && change.to === "COOLING_DOWN") {
        stop();
        resolve(performance.now());
      }
    });
  });
  const started = performance.now();
  from!.begin(id);
  from!.end(id, { ok: false, errorKind: "auth", latencyMs: 1 });
  delays.push((await reached) - started);
}
delays.sort((a, b) => a - b);
console.log(`a cooldown reaching the other instance's subscribers, ms over ${delays.length} trials: median ${delays[delays.length >> 1]!.toFixed(2)}, max ${delays.at(-1)!.toFixed(2)}`);
await Promise.all(pair.map((s) => s.close()));
await otherStore.close();
await share.close();
const keys = await store.client.keys(`${keyPrefix}*`);
if (keys.length > 0) await store.client.del(...keys);
await store.close();
