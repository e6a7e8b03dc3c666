import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../config/index.js";
import type { PromptScorer } from "../routing/quality/prompt-scorer.js";
import { buildTierPolicies } from "./build-tier-policies.js";
import { startSwitchyard } from "./start-switchyard.js";
import { problemsOf } from "../config/testing/config-problems.js";

const config = loadConfig({
  text: `
models:
  - name: fast
    deployments: [{ id: a, provider: simulator, model: m }]
  - name: smart
    deployments: [{ id: b, provider: simulator, model: m }]
  - name: auto
    quality: { tiers: [fast, smart], strongShare: 0.25 }
  - name: mine
    quality: { tiers: [fast, smart], threshold: 0.4, router: ./broken-a.json }
  - name: careful
    cascade: { tiers: [fast, smart], checks: [{ minLength: 3 }, { refusal: false }, { score: 0.9 }], router: ./broken-b.json }
  - name: plain-cascade
    cascade: { tiers: [fast, smart], checks: [{ regex: "^ok" }] }
`,
});

const scorer = (source: string): PromptScorer => ({ source, version: "1", score: () => 0.5, thresholdForStrongShare: (share) => 1 - share });


describe("buildTierPolicies", () => {
  it("lists every router that cannot be loaded, by its config path, loading each file once", () => {
    const asked: string[] = [];
    const problems = problemsOf(() =>
      buildTierPolicies(config, (spec) => {
        asked.push(spec);
        if (spec.includes("broken")) throw new Error("not a router file (bad magic)");
        return scorer(spec);
      }),
    );
    expect(problems).toEqual([
      'models[3].quality.router: cannot load router "./broken-a.json": not a router file (bad magic)',
      'models[4].cascade.router: cannot load router "./broken-b.json": not a router file (bad magic)',
    ]);
    expect(asked).toEqual(["builtin", "./broken-a.json", "./broken-b.json"]);
  });

  it("turns strongShare into a threshold, compiles checks and needs no router for a cascade without a score check", () => {
    const policies = buildTierPolicies(config, (spec) => scorer(spec.replace("broken", "fine")));
    expect(policies.get("auto")).toMatchObject({ kind: "quality", tiers: ["fast", "smart"], thresholds: [0.75] });
    expect(policies.get("mine")).toMatchObject({ kind: "quality", thresholds: [0.4] });
    const careful = policies.get("careful");
    expect(careful).toMatchObject({ kind: "cascade", scoreAtMost: 0.9 });
    // refusal: false is no check at all; score is a test of the prompt.
    expect(careful?.kind === "cascade" && careful.checks.map((c) => c.kind)).toEqual(["minLength"]);
    const plain = policies.get("plain-cascade");
    expect(plain?.kind === "cascade" && plain.scorer).toBeUndefined();
    expect(policies.has("fast")).toBe(false);
  });

  it("builds adaptive thresholds for quality.adapt, bounded by default 0.1 either side, and refuses bounds that exclude the threshold", () => {
    const adapting = loadConfig({
      text: `
models:
  - name: fast
    deployments: [{ id: a, provider: simulator, model: m }]
  - name: smart
    deployments: [{ id: b, provider: simulator, model: m }]
  - name: learning
    quality: { tiers: [fast, smart], strongShare: 0.25, adapt: { step: 0.05 } }
  - name: outside
    quality: { tiers: [fast, smart], threshold: 0.5, adapt: { min: 0.1, max: 0.3 } }
`,
    });
    expect(problemsOf(() => buildTierPolicies(adapting, scorer))).toEqual(["models[3].quality.adapt: the thresholds [0.5] must lie within min 0.1 and max 0.3"]);
    const policies = buildTierPolicies({ ...adapting, models: adapting.models.slice(0, 3) }, scorer);
    const learning = policies.get("learning");
    if (learning?.kind !== "quality" || !learning.adaptive) throw new Error("no adaptive thresholds");
    // strongShare 0.25 → 0.75; three bad cheap answers lower it by 0.05 each, down to min 0.65 and no further.
    for (let i = 0; i < 3; i++) learning.adaptive.record({ tier: "fast", promptScore: 0.2, feedback: 0 });
    expect(learning.adaptive.current()).toEqual([0.65]);
    expect(learning.thresholds).toEqual([0.75]);
  });

  it("stops the start, before anything is opened, with the config path of a router file it cannot load", async () => {
    const error = await startSwitchyard({ config, logger: pino({ level: "silent" }), port: 0 }).catch((e: unknown) => e);
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as ConfigError).problems).toContainEqual(expect.stringMatching(/^models\[3\]\.quality\.router: cannot load router "\.\/broken-a\.json": /));
  });
});
