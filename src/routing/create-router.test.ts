import { describe, expect, it } from "vitest";
import { GatewayError, type ChatEvent } from "../core/index.js";
import { AllDeploymentsFailedError } from "./all-deployments-failed-error.js";
import { createRouter } from "./create-router.js";
import type { Deployment, ModelGroup } from "./model-group.js";
import { scriptedAdapter, type ScriptStep } from "./testing/scripted-adapter.js";

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function deployment(id: string, script: ScriptStep[], extra: Partial<Deployment> = {}): Deployment {
  return { id, provider: "fake", model: `${id}-model`, weight: 1, adapter: scriptedAdapter("fake", script), ...extra };
}

function group(name: string, deployments: Deployment[], extra: Partial<ModelGroup> = {}): ModelGroup {
  return {
    name,
    aliases: [],
    strategy: "weighted",
    deployments,
    fallbacks: [],
    contextWindowFallbacks: [],
    contentPolicyFallbacks: [],
    rateLimitFallbacks: [],
    retries: 2,
    timeoutMs: 60_000,
    firstTokenTimeoutMs: 5_000,
    ...extra,
  };
}

function router(groups: ModelGroup[], seed = 1, cooldown = { failures: 100, windowMs: 60_000, durationMs: 30_000 }) {
  const sleeps: number[] = [];
  return {
    sleeps,
    router: createRouter({
      groups,
      defaults: { backoff: { baseMs: 100, maxMs: 1000 }, fallbacks: { rateLimit: [], contextWindow: [], contentPolicy: [] }, cooldown },
      random: seeded(seed),
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    }),
  };
}

const ask = (model: string) => ({ model, messages: [{ role: "user" as const, content: "hi" }] });
const callsOf = (d: Deployment) => (d.adapter as ReturnType<typeof scriptedAdapter>).calls.length;

describe("router", () => {
  it("resolves aliases and sends the provider model upstream", async () => {
    const a = deployment("a", [{ text: "hello" }]);
    const { router: r } = router([group("fast", [a], { aliases: ["gpt-4o-mini"] })]);
    const result = await r.complete(ask("gpt-4o-mini"));
    expect(result.group.name).toBe("fast");
    expect(result.response.message.content).toBe("hello");
    expect((a.adapter as ReturnType<typeof scriptedAdapter>).calls[0]!.request.model).toBe("a-model");
    expect(result.attempts.map((x) => x.outcome)).toEqual(["SUCCESS"]);
  });

  it("refuses an unknown model with MODEL_NOT_FOUND", async () => {
    const { router: r } = router([group("fast", [deployment("a", [{ text: "x" }])])]);
    await expect(r.complete(ask("nope"))).rejects.toMatchObject({ code: "MODEL_NOT_FOUND" });
  });

  it("retries a retryable error on another deployment, without waiting", async () => {
    const a = deployment("a", [{ fail: "server" }]);
    const b = deployment("b", [{ fail: "server" }]);
    const { router: r, sleeps } = router([group("fast", [a, b], { retries: 1 })]);
    const result = await r.complete(ask("fast")).catch((e: unknown) => e);
    expect(result).toBeInstanceOf(AllDeploymentsFailedError);
    expect(callsOf(a)).toBe(1);
    expect(callsOf(b)).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it("never exceeds the retry bound and backs off (honouring retry-after) before reusing a deployment", async () => {
    const a = deployment("a", [{ fail: "overloaded", retryAfterMs: 700 }]);
    const { router: r, sleeps } = router([group("fast", [a], { retries: 3 })]);
    const error = (await r.complete(ask("fast")).catch((e: unknown) => e)) as AllDeploymentsFailedError;
    expect(error.code).toBe("ALL_DEPLOYMENTS_FAILED");
    expect(error.attempts).toHaveLength(4);
    expect(callsOf(a)).toBe(4);
    expect(sleeps).toHaveLength(3);
    for (const ms of sleeps) expect(ms).toBeGreaterThanOrEqual(700);
  });

  it("does not retry a bad request anywhere", async () => {
    const a = deployment("a", [{ fail: "bad_request" }]);
    const b = deployment("b", [{ text: "ok" }]);
    const { router: r } = router([group("fast", [a, b], { fallbacks: [] }), group("other", [deployment("c", [{ text: "ok" }])])]);
    for (let i = 0; i < 5; i++) {
      const error = (await r.complete(ask("fast")).catch((e: unknown) => e)) as AllDeploymentsFailedError | { response: unknown };
      if (error instanceof AllDeploymentsFailedError) expect(error.code).toBe("BAD_USER_INPUT");
    }
    expect(callsOf(a) + callsOf(b)).toBe(5);
  });

  it("skips a deployment with bad credentials and serves from another", async () => {
    const a = deployment("a", [{ fail: "auth" }], { weight: 1000 });
    const b = deployment("b", [{ text: "ok" }]);
    const { router: r } = router([group("fast", [a, b], { retries: 0 })]);
    const result = await r.complete(ask("fast"));
    expect(result.deployment.id).toBe("b");
    expect(result.attempts.map((x) => [x.deployment.id, x.outcome, x.error?.kind])).toEqual([
      ["a", "ERROR", "auth"],
      ["b", "SUCCESS", undefined],
    ]);
  });

  it("falls back to the next group in order after the retries", async () => {
    const a = deployment("a", [{ fail: "overloaded" }]);
    const s = deployment("s", [{ text: "smart" }]);
    const t = deployment("t", [{ text: "third" }]);
    const { router: r } = router([
      group("fast", [a], { retries: 1, fallbacks: ["smart", "third"] }),
      group("smart", [s]),
      group("third", [t]),
    ]);
    const result = await r.complete(ask("fast"));
    expect(result.group.name).toBe("smart");
    expect(result.attempts.map((x) => x.group)).toEqual(["fast", "fast", "smart"]);
    expect(callsOf(t)).toBe(0);
  });

  it("sends a context-window failure to the context-window fallbacks", async () => {
    const a = deployment("a", [{ fail: "context_window" }]);
    const long = deployment("l", [{ text: "long" }]);
    const { router: r } = router([
      group("fast", [a], { contextWindowFallbacks: ["long"], fallbacks: ["other"] }),
      group("long", [long]),
      group("other", [deployment("o", [{ text: "other" }])]),
    ]);
    const result = await r.complete(ask("fast"));
    expect(result.group.name).toBe("long");
    expect(callsOf(a)).toBe(1);
  });

  it("refuses a prompt that fits no deployment before calling any", async () => {
    const a = deployment("a", [{ text: "x" }], { contextWindow: 100 });
    const { router: r } = router([group("fast", [a])]);
    const error = (await r.complete(ask("fast"), { promptTokens: 5000 }).catch((e: unknown) => e)) as GatewayError;
    expect(error.code).toBe("BAD_USER_INPUT");
    expect(error.message).toMatch(/fits no deployment/);
    expect(callsOf(a)).toBe(0);
  });

  it("spreads traffic by weight", async () => {
    const a = deployment("a", [{ text: "a" }], { weight: 3 });
    const b = deployment("b", [{ text: "b" }], { weight: 1 });
    const { router: r } = router([group("fast", [a, b])], 42);
    for (let i = 0; i < 2000; i++) await r.complete(ask("fast"));
    expect(callsOf(a) / 2000).toBeGreaterThan(0.72);
    expect(callsOf(a) / 2000).toBeLessThan(0.78);
  });

  it("fails a stream over before its first token, transparently", async () => {
    const a = deployment("a", [{ fail: "connection" }], { weight: 1000 });
    const b = deployment("b", [{ text: "streamed" }]);
    const { router: r } = router([group("fast", [a, b])]);
    const routed = await r.stream(ask("fast"));
    const events: ChatEvent[] = [];
    for await (const event of routed.events) events.push(event);
    expect(routed.deployment.id).toBe("b");
    expect(events.map((e) => e.type)).toEqual(["text-delta", "finish"]);
    expect(routed.attempts.map((x) => x.outcome)).toEqual(["ERROR", "SUCCESS"]);
  });

  it("passes a failure after the first token to the consumer", async () => {
    const a = deployment("a", [{ events: [{ type: "text-delta", text: "par" }], failAfter: "connection" }]);
    const { router: r } = router([group("fast", [a])]);
    const routed = await r.stream(ask("fast"));
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const event of routed.events) seen.push(event.type);
      })(),
    ).rejects.toMatchObject({ kind: "connection" });
    expect(seen).toEqual(["text-delta"]);
  });

  it("stops when the caller aborts", async () => {
    const controller = new AbortController();
    controller.abort();
    const { router: r } = router([group("fast", [deployment("a", [{ text: "x" }])])]);
    await expect(r.complete(ask("fast"), { signal: controller.signal })).rejects.toMatchObject({ code: "CANCELLED" });
  });

  it("cancels the attempt in flight when the caller aborts", async () => {
    const controller = new AbortController();
    const hanging = deployment("a", [{ hang: true }]);
    const { router: r } = router([group("slow", [hanging])]);
    const call = r.complete(ask("slow"), { signal: controller.signal }).catch((error: unknown) => error);
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    const error = await call;
    expect(error).toBeInstanceOf(AllDeploymentsFailedError);
    expect(error).toMatchObject({ code: "CANCELLED" });
    expect((error as AllDeploymentsFailedError).attempts.map((a) => [a.deployment.id, a.outcome, a.error?.kind])).toEqual([["a", "CANCELLED", "cancelled"]]);
    expect((hanging.adapter as ReturnType<typeof scriptedAdapter>).aborted).toEqual([0]);
  });

  it("takes per-request overrides: fallbacks, strategy, cost ceiling", async () => {
    const a = deployment("a", [{ fail: "server" }], { inputPicoPerToken: 1_000_000, outputPicoPerToken: 1_000_000 });
    const cheap = deployment("cheap", [{ text: "cheap" }], { inputPicoPerToken: 1, outputPicoPerToken: 1 });
    const other = deployment("other", [{ text: "other" }]);
    const { router: r } = router([group("fast", [a], { retries: 0, fallbacks: ["other"] }), group("other", [other]), group("budget", [cheap])]);
    expect((await r.complete(ask("fast"), { fallbacks: ["budget"] })).group.name).toBe("budget");
    await expect(r.complete(ask("fast"), { strategy: "bogus" })).rejects.toMatchObject({ code: "BAD_USER_INPUT" });
    await expect(r.complete(ask("fast"), { fallbacks: ["nowhere"] })).rejects.toMatchObject({ code: "BAD_USER_INPUT" });
    const capped = await r.complete(ask("fast"), { promptTokens: 100, maxCostPico: 1_000_000, fallbacks: ["budget"] });
    expect(capped.attempts.map((x) => x.deployment.id)).toEqual(["cheap"]);
    await expect(r.complete(ask("other"), { promptTokens: 100, maxCostPico: 1, fallbacks: [] })).resolves.toBeDefined();
    const none = deployment("pricey", [{ text: "x" }], { inputPicoPerToken: 10, outputPicoPerToken: 10 });
    const { router: r2 } = router([group("p", [none])]);
    await expect(r2.complete(ask("p"), { promptTokens: 100, maxCostPico: 10 })).rejects.toMatchObject({ code: "BAD_USER_INPUT" });
  });

  it("counts tokens exactly only when the cheap bound does not settle the context-window check", async () => {
    const a = deployment("a", [{ text: "x" }], { contextWindow: 1000 });
    const { router: r } = router([group("fast", [a])]);
    let counted = 0;
    const count = (n: number) => () => {
      counted++;
      return n;
    };
    await r.complete(ask("fast"), { promptTokens: 10, promptTokenBound: 40, countPromptTokens: count(10) });
    expect(counted).toBe(0);
    await r.complete(ask("fast"), { promptTokens: 900, promptTokenBound: 3600, countPromptTokens: count(700) });
    expect(counted).toBe(1);
    await expect(r.complete(ask("fast"), { promptTokens: 900, promptTokenBound: 3600, countPromptTokens: count(1200) })).rejects.toMatchObject({ code: "BAD_USER_INPUT" });
    await expect(r.complete(ask("fast"), { promptTokens: 5000, promptTokenBound: 20000, countPromptTokens: count(1) })).rejects.toMatchObject({ code: "BAD_USER_INPUT" });
    expect(counted).toBe(2);
  });
});
