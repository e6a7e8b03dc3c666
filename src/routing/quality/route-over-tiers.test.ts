import { describe, expect, it } from "vitest";
import type { ChatEvent, RoutingDecision } from "../../core/index.js";
import { AllDeploymentsFailedError } from "../all-deployments-failed-error.js";
import { createRouter } from "../create-router.js";
import type { EscalatedAnswer } from "../route-context.js";
import type { Deployment, ModelGroup } from "../model-group.js";
import { scriptedAdapter, type ScriptStep } from "../testing/scripted-adapter.js";
import { compileAnswerCheck, type AnswerCheck } from "./answer-checks.js";
import type { PromptScorer } from "./prompt-scorer.js";
import type { TierPolicy } from "./tier-policy.js";

const lengthScorer: PromptScorer = {
  source: "test",
  version: "1",
  score: (messages) => Math.min(1, (messages[0]?.content?.length ?? 0) / 100),
  thresholdForStrongShare: (share) => 1 - share,
};

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
    retries: 0,
    timeoutMs: 60_000,
    firstTokenTimeoutMs: 5_000,
    ...extra,
  };
}

const tiered = (name: string, policy: TierPolicy) => group(name, [], { policy, tiers: policy.tiers });
const checks = (...specs: Array<Parameters<typeof compileAnswerCheck>[0]>) => specs.map((s) => compileAnswerCheck(s)!) as AnswerCheck[];
const ask = (model: string, content = "hi") => ({ model, messages: [{ role: "user" as const, content }] });
const finish = (text: string): ChatEvent[] => [
  { type: "text-delta", text },
  { type: "finish", finish: { unified: "stop", raw: "stop" }, usage: { inputTokens: 3, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 2, reasoningTokens: 0 }, model: "m", id: "x" },
];

function routerOf(groups: ModelGroup[], contextWindowDefaults: string[] = []) {
  return createRouter({ groups, defaults: { backoff: { baseMs: 1, maxMs: 1 }, fallbacks: { rateLimit: [], contextWindow: contextWindowDefaults, contentPolicy: [] } }, sleep: async () => undefined });
}

describe("routing over tiers", () => {
  it("routes within the chosen tier with its own fallbacks, and tells the decision before the tier is called", async () => {
    const broken = deployment("broken", [{ fail: "server" }]);
    const spare = deployment("spare", [{ text: "from spare" }]);
    const router = routerOf([
      group("cheap", [broken], { fallbacks: ["spare"] }),
      group("spare", [spare]),
      group("strong", [deployment("s", [{ text: "strong" }])]),
      tiered("auto", { kind: "quality", tiers: ["cheap", "strong"], thresholds: [0.5], scorer: lengthScorer }),
    ]);
    const decisions: RoutingDecision[] = [];
    const result = await router.complete(ask("auto"), { onDecision: (d) => decisions.push(d) });
    expect(result.response.message.content).toBe("from spare");
    expect(result.group.name).toBe("spare");
    expect(result.attempts.map((a) => [a.deployment.id, a.outcome])).toEqual([["broken", "ERROR"], ["spare", "SUCCESS"]]);
    expect(decisions).toEqual([{ policy: "quality", score: 0.02, threshold: 0.5, tier: "cheap", reason: "score 0.02 < 0.5" }]);
    expect(result.decision).toEqual(decisions[0]);
  });

  it("checks a prompt against the reachable groups of the chosen tier (router.fallbacks.contextWindow included)", async () => {
    const long = deployment("long", [{ text: "long answer" }], { contextWindow: 100_000 });
    const router = routerOf(
      [
        group("cheap", [deployment("c", [{ text: "never" }], { contextWindow: 8_000 })]),
        group("long", [long]),
        group("strong", [deployment("s", [{ text: "never" }], { contextWindow: 8_000 })]),
        tiered("auto", { kind: "quality", tiers: ["cheap", "strong"], thresholds: [0.5], scorer: lengthScorer }),
      ],
      ["long"],
    );
    const result = await router.complete(ask("auto"), { promptTokens: 10_000 });
    expect(result.response.message.content).toBe("long answer");
  });

  it("moves up to the cheapest tier that can take the prompt when the chosen one cannot, before any provider is called", async () => {
    const cheap = deployment("c", [{ text: "never" }], { contextWindow: 8_000 });
    const router = routerOf([
      group("cheap", [cheap]),
      group("strong", [deployment("s", [{ text: "strong answer" }], { contextWindow: 128_000 })]),
      tiered("auto", { kind: "quality", tiers: ["cheap", "strong"], thresholds: [0.5], scorer: lengthScorer }),
      tiered("careful", { kind: "cascade", tiers: ["cheap", "strong"], checks: checks({ minLength: 1 }) }),
    ]);
    const decisions: RoutingDecision[] = [];
    const quality = await router.complete(ask("auto"), { promptTokens: 10_000, onDecision: (d) => decisions.push(d) });
    expect(quality.response.message.content).toBe("strong answer");
    expect(quality.decision).toMatchObject({ tier: "strong", reason: "score 0.02 < 0.5; cheap cannot serve the request (context_window), so strong" });
    expect(decisions.map((d) => d.tier)).toEqual(["cheap", "strong"]);

    const escalated: EscalatedAnswer[] = [];
    const cascade = await router.stream(ask("careful"), { promptTokens: 10_000, onEscalation: (a) => escalated.push(a) });
    expect(cascade.decision).toMatchObject({ tier: "strong", reason: "the cheapest tier first; cheap cannot serve the request (context_window), so strong" });
    expect(escalated).toEqual([]);
    expect((cheap.adapter as ReturnType<typeof scriptedAdapter>).calls).toHaveLength(0);
    await expect(router.complete(ask("strong"), { promptTokens: 200_000 })).rejects.toMatchObject({ code: "BAD_USER_INPUT" });
    await expect(router.complete(ask("auto"), { promptTokens: 200_000 })).rejects.toMatchObject({ code: "BAD_USER_INPUT" });
  });

  it("reports each escalated answer with its attempts and usage, and returns the next tier's", async () => {
    const router = routerOf([
      group("cheap", [deployment("c", [{ text: "no" }])]),
      group("mid", [deployment("m", [{ text: "still short" }])]),
      group("strong", [deployment("s", [{ text: "a long enough answer" }])]),
      tiered("careful", { kind: "cascade", tiers: ["cheap", "mid", "strong"], checks: checks({ minLength: 15 }) }),
    ]);
    const escalated: EscalatedAnswer[] = [];
    const result = await router.complete(ask("careful"), { onEscalation: (a) => escalated.push(a) });
    expect(result.response.message.content).toBe("a long enough answer");
    expect(result.decision).toMatchObject({ policy: "cascade", tier: "strong", score: null, threshold: null, reason: "escalated from mid: check minLength failed: 11 < 15 characters" });
    expect(escalated.map((a) => [a.group.name, a.text, a.decision.reason, a.attempts.length, a.streamed])).toEqual([
      ["cheap", "no", "check minLength failed: 2 < 15 characters", 1, false],
      ["mid", "still short", "check minLength failed: 11 < 15 characters", 1, false],
    ]);
  });

  it("a held cheap stream that fails midway ends the call with its attempt, without escalating", async () => {
    const strong = deployment("s", [{ text: "strong" }]);
    const router = routerOf([
      group("cheap", [deployment("c", [{ events: [{ type: "text-delta", text: "par" }], failAfter: "server" }])]),
      group("strong", [strong]),
      tiered("careful", { kind: "cascade", tiers: ["cheap", "strong"], checks: checks({ minLength: 1 }) }),
    ]);
    const error = await router.stream(ask("careful"), { onEscalation: () => expect.fail("no escalation") }).catch((e: unknown) => e);
    expect(AllDeploymentsFailedError.isInstance(error)).toBe(true);
    expect((error as AllDeploymentsFailedError).attempts.map((a) => [a.deployment.id, a.outcome, a.error?.kind])).toEqual([["c", "ERROR", "server"]]);
    expect((strong.adapter as ReturnType<typeof scriptedAdapter>).calls).toHaveLength(0);
  });

  it("a consumer that leaves while a cheap answer is held cancels it, and nothing escalates", async () => {
    const leave = new AbortController();
    const stalling: Deployment = {
      ...deployment("c", []),
      adapter: {
        provider: "fake",
        chat: () => Promise.reject(new Error("not used")),
        stream: async (_request, options) => ({
          events: (async function* () {
            yield { type: "text-delta", text: "par" } as ChatEvent;
            // The answer is being held: the consumer leaves now.
            queueMicrotask(() => leave.abort());
            await new Promise((_, reject) => options?.signal?.addEventListener("abort", () => reject(new Error("aborted")), { once: true }));
          })(),
        }),
      },
    };
    const strong = deployment("s", [{ text: "strong" }]);
    const router = routerOf([
      group("cheap", [stalling]),
      group("strong", [strong]),
      tiered("careful", { kind: "cascade", tiers: ["cheap", "strong"], checks: checks({ minLength: 1 }) }),
    ]);
    const error = await router.stream(ask("careful"), { signal: leave.signal, onEscalation: () => expect.fail("no escalation") }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "CANCELLED" });
    expect((error as AllDeploymentsFailedError).attempts.map((a) => a.outcome)).toEqual(["CANCELLED"]);
    expect((strong.adapter as ReturnType<typeof scriptedAdapter>).calls).toHaveLength(0);
  });

  it("replays a held stream that passes, event for event", async () => {
    const router = routerOf([
      group("cheap", [deployment("c", [{ events: finish("fine answer") }])]),
      group("strong", [deployment("s", [{ text: "strong" }])]),
      tiered("careful", { kind: "cascade", tiers: ["cheap", "strong"], checks: checks({ minLength: 4 }) }),
    ]);
    const routed = await router.stream(ask("careful"));
    const events: ChatEvent[] = [];
    for await (const event of routed.events) events.push(event);
    expect(events).toEqual(finish("fine answer"));
    expect(routed.decision).toMatchObject({ tier: "cheap", reason: "checks passed" });
    expect(routed.attempts[0]!.outcome).toBe("SUCCESS");
  });

  it("spends one request deadline over the whole cascade", async () => {
    let clock = 0;
    const cheapAdapter = scriptedAdapter("fake", [{ text: "no" }]);
    const slowCheap: Deployment = {
      ...deployment("c", []),
      adapter: { ...cheapAdapter, chat: (request, options) => ((clock += 1_000), cheapAdapter.chat(request, options)) },
    };
    const strong = deployment("s", [{ text: "a long enough answer" }]);
    const router = createRouter({
      groups: [group("cheap", [slowCheap]), group("strong", [strong]), tiered("careful", { kind: "cascade", tiers: ["cheap", "strong"], checks: checks({ minLength: 15 }) })],
      defaults: { backoff: { baseMs: 1, maxMs: 1 }, fallbacks: { rateLimit: [], contextWindow: [], contentPolicy: [] } },
      now: () => clock,
    });
    await router.complete(ask("careful"), { timeoutMs: 1_500 });
    expect((strong.adapter as ReturnType<typeof scriptedAdapter>).calls[0]!.options!.timeoutMs).toBeLessThanOrEqual(500);
    await expect(router.complete(ask("careful"), { timeoutMs: 1_000 })).rejects.toMatchObject({ code: "TIMEOUT" });
    expect((strong.adapter as ReturnType<typeof scriptedAdapter>).calls).toHaveLength(1);
  });

  it("refuses a tiered group as a request fallback and a threshold for a cascade", async () => {
    const router = routerOf([
      group("cheap", [deployment("c", [{ text: "x" }])]),
      group("strong", [deployment("s", [{ text: "y" }])]),
      tiered("careful", { kind: "cascade", tiers: ["cheap", "strong"], checks: checks({ minLength: 4 }) }),
    ]);
    await expect(router.complete(ask("cheap"), { fallbacks: ["careful"] })).rejects.toMatchObject({ code: "BAD_USER_INPUT", details: { field: "routing.fallbacks" } });
    await expect(router.complete(ask("careful"), { thresholds: [0.5] })).rejects.toMatchObject({ code: "BAD_USER_INPUT", details: { field: "routing.threshold" } });
  });
});
