import { describe, expect, it } from "vitest";
import type { Attempt } from "./attempt.js";
import { createRouter } from "./create-router.js";
import { createHealthTracker } from "./health/create-health-tracker.js";
import type { Deployment, ModelGroup } from "./model-group.js";
import { scriptedAdapter, type ScriptedAdapter, type ScriptStep } from "./testing/scripted-adapter.js";

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const deployment = (id: string, script: ScriptStep[], weight = 1): Deployment => ({ id, provider: "fake", model: id, weight, adapter: scriptedAdapter("fake", script) });
const adapterOf = (d: Deployment) => d.adapter as ScriptedAdapter;
const group = (deployments: Deployment[], extra: Partial<ModelGroup> = {}): ModelGroup => ({
  name: "g", aliases: [], strategy: "weighted", deployments, fallbacks: [], contextWindowFallbacks: [], contentPolicyFallbacks: [],
  rateLimitFallbacks: [], retries: 2, timeoutMs: 60_000, firstTokenTimeoutMs: 5_000, ...extra,
});
const ask = { model: "g", messages: [{ role: "user" as const, content: "hi" }] };

function setup(groups: ModelGroup[], options: { failures?: number; durationMs?: number; seed?: number } = {}) {
  let clock = 1_000_000;
  const health = createHealthTracker({
    deployments: groups.flatMap((g) => g.deployments.map((d) => ({ id: d.id, group: g.name }))),
    cooldown: { failures: options.failures ?? 3, windowMs: 60_000, durationMs: options.durationMs ?? 30_000 },
    now: () => clock,
  });
  const router = createRouter({
    groups,
    health,
    defaults: { backoff: { baseMs: 1, maxMs: 1 }, fallbacks: { rateLimit: [], contextWindow: [], contentPolicy: [] } },
    random: seeded(options.seed ?? 3),
    now: () => clock,
    sleep: async () => undefined,
  });
  return { router, health, advance: (ms: number) => (clock += ms), clock: () => clock };
}

describe("router health", () => {
  it("cools a deployment down after N failures and never calls it while cooling", async () => {
    const bad = deployment("bad", [{ fail: "server" }], 1000);
    const good = deployment("good", [{ text: "ok" }]);
    const { router, health, advance } = setup([group([bad, good])]);
    for (let i = 0; i < 3; i++) await router.complete(ask);
    expect(adapterOf(bad).calls).toHaveLength(3);
    expect(health.snapshot("bad").status).toBe("COOLING_DOWN");
    for (let i = 0; i < 50; i++) {
      advance(100);
      await router.complete(ask);
    }
    expect(adapterOf(bad).calls).toHaveLength(3);
    advance(30_000);
    await router.complete(ask); // half-open: one probe
    expect(adapterOf(bad).calls).toHaveLength(4);
    expect(health.snapshot("bad").status).toBe("COOLING_DOWN");
  });

  it("cools down at once on a 429 with retry-after, and a re-trigger extends it", async () => {
    const limited = deployment("limited", [{ fail: "rate_limit", retryAfterMs: 5_000 }], 1000);
    const spare = deployment("spare", [{ text: "ok" }]);
    const { router, health, advance, clock } = setup([group([limited, spare])]);
    const result = await router.complete(ask);
    expect(result.deployment.id).toBe("spare");
    const until = health.snapshot("limited").cooldownUntil!;
    expect(until).toBe(clock() + 5_000);
    advance(5_000);
    await router.complete(ask); // probe fails again → cooldown of durationMs, longer than before
    expect(health.snapshot("limited").cooldownUntil!).toBeGreaterThan(until);
  });

  it("recovers after a successful half-open probe", async () => {
    const flaky = deployment("flaky", [{ fail: "auth" }, { text: "back" }], 1000);
    const { router, health, advance } = setup([group([flaky, deployment("other", [{ text: "ok" }])])]);
    await router.complete(ask);
    expect(health.snapshot("flaky").status).toBe("COOLING_DOWN");
    advance(31_000);
    const result = await router.complete(ask);
    expect(result.deployment.id).toBe("flaky");
    expect(health.snapshot("flaky").status).toBe("HEALTHY");
  });

  it("goes to the rate-limit fallbacks when every deployment is cooling down", async () => {
    const a = deployment("a", [{ fail: "rate_limit", retryAfterMs: 60_000 }]);
    const spare = deployment("spare", [{ text: "spare" }]);
    const main = group([a], { name: "main", rateLimitFallbacks: ["spare"] });
    const { router } = setup([main, group([spare], { name: "spare" })]);
    const first = await router.complete({ ...ask, model: "main" });
    expect(first.group.name).toBe("spare");
    const second = await router.complete({ ...ask, model: "main" });
    expect(second.attempts.map((x) => x.deployment.id)).toEqual(["spare"]);
  });

  it("never calls a cooled-down deployment and never exceeds the retry bound, over random failures", async () => {
    const random = seeded(99);
    const kinds = ["server", "rate_limit", "timeout", "connection", "overloaded"] as const;
    const script = (): ScriptStep[] =>
      Array.from({ length: 400 }, () => (random() < 0.4 ? { fail: kinds[Math.floor(random() * kinds.length)]!, retryAfterMs: 2_000 } : { text: "ok" }));
    const ds = ["a", "b", "c"].map((id) => deployment(id, script()));
    const { router, health, advance } = setup([group(ds, { retries: 2 })]);
    const calledWhileCooling: string[] = [];
    for (const d of ds) {
      const original = d.adapter.chat.bind(d.adapter);
      d.adapter.chat = (request, options) => {
        if (health.snapshot(d.id).cooldownUntil !== undefined) calledWhileCooling.push(d.id);
        return original(request, options);
      };
    }
    for (let i = 0; i < 300; i++) {
      advance(Math.floor(random() * 500));
      const outcome = await router.complete(ask).catch((error: { attempts: unknown[] }) => error);
      const attempts = "attempts" in outcome ? outcome.attempts : [];
      expect(attempts.length).toBeLessThanOrEqual(3);
    }
    expect(calledWhileCooling).toEqual([]);
  });

  it("moves traffic off a deployment that slowed down (latency strategy)", async () => {
    let clock = 0;
    const timed = (id: string, latency: () => number): Deployment => {
      const d = deployment(id, [{ text: "ok" }]);
      const original = d.adapter.chat.bind(d.adapter);
      d.adapter.chat = async (request, options) => {
        clock += latency();
        return original(request, options);
      };
      return d;
    };
    let slowFactor = 1;
    const a = timed("a", () => 20 * slowFactor);
    const b = timed("b", () => 20);
    const health = createHealthTracker({ deployments: [{ id: "a", group: "g" }, { id: "b", group: "g" }], cooldown: { failures: 3, windowMs: 1, durationMs: 1 }, now: () => clock });
    const router = createRouter({
      groups: [group([a, b], { strategy: "latency" })],
      health,
      defaults: { backoff: { baseMs: 1, maxMs: 1 }, fallbacks: { rateLimit: [], contextWindow: [], contentPolicy: [] } },
      random: seeded(5),
      now: () => clock,
    });
    for (let i = 0; i < 200; i++) await router.complete(ask);
    const before = adapterOf(a).calls.length;
    expect(before / 200).toBeGreaterThan(0.3);
    slowFactor = 10;
    for (let i = 0; i < 400; i++) await router.complete(ask);
    const share = (adapterOf(a).calls.length - before) / 400;
    expect(share).toBeLessThan(0.35);
  });

  it("hedges a slow first attempt on another deployment and cancels the loser", async () => {
    const slow = deployment("slow", [{ hang: true }], 1000);
    const fast = deployment("fast", [{ text: "fast" }]);
    const { router } = setup([group([slow, fast], { hedgeAfterMs: 50 })]);
    const result = await router.complete(ask);
    expect(result.deployment.id).toBe("fast");
    expect(result.attempts.map((x) => [x.deployment.id, x.outcome, x.hedged])).toEqual([
      ["slow", "CANCELLED", false],
      ["fast", "SUCCESS", true],
    ]);
    expect(adapterOf(slow).aborted).toEqual([0]);
    expect(result.attempts[0]!.usage?.inputTokens).toBeDefined();
  });

  it("cancels both attempts of a hedge when the caller aborts", async () => {
    const first = deployment("first", [{ hang: true }], 1000);
    const second = deployment("second", [{ hang: true }]);
    const { router } = setup([group([first, second], { hedgeAfterMs: 50 })]);
    const controller = new AbortController();
    const call = router.complete(ask, { signal: controller.signal }).then(
      () => expect.unreachable("the call was cancelled"),
      (error: { code: string; attempts: Attempt[] }) => error,
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(adapterOf(second).calls).toHaveLength(1); // the hedge is out
    controller.abort();
    const error = await call;
    expect(error.code).toBe("CANCELLED");
    expect(error.attempts.map((x) => [x.deployment.id, x.outcome, x.hedged])).toEqual([
      ["first", "CANCELLED", false],
      ["second", "CANCELLED", true],
    ]);
    expect(adapterOf(first).aborted).toEqual([0]);
    expect(adapterOf(second).aborted).toEqual([0]);
  });

  it("hedges streams before the first token", async () => {
    const slow = deployment("slow", [{ hang: true }], 1000);
    const fast = deployment("fast", [{ text: "fast" }]);
    const { router } = setup([group([slow, fast], { hedgeAfterMs: 50 })]);
    const routed = await router.stream(ask);
    const types: string[] = [];
    for await (const event of routed.events) types.push(event.type);
    expect(routed.deployment.id).toBe("fast");
    expect(types).toEqual(["text-delta", "finish"]);
    expect(adapterOf(slow).aborted).toEqual([0]);
  });
});
