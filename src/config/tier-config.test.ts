import { describe, expect, it } from "vitest";
import { loadConfig } from "./load-config.js";
import { configProblems } from "./testing/config-problems.js";

const TIERS = `
models:
  - name: fast
    deployments: [{ id: a, provider: simulator, model: m }]
  - name: smart
    deployments: [{ id: b, provider: simulator, model: m }]
  - name: long
    deployments: [{ id: c, provider: simulator, model: m }]
`;

const problemsOf = (groups: string): string[] => configProblems(TIERS + groups);

describe("quality and cascade groups in the config", () => {
  it("accepts the shapes of API.md, with the router defaulting to builtin", () => {
    const config = loadConfig({
      text: `${TIERS}
  - name: auto
    quality: { tiers: [fast, smart], threshold: 0.5 }
  - name: auto3
    quality: { tiers: [fast, smart, long], threshold: [0.4, 0.8], router: ./routers/mine.json }
  - name: thrifty
    quality: { tiers: [fast, smart], strongShare: 0.3 }
  - name: careful
    cascade:
      tiers: [fast, smart]
      checks:
        - minLength: 20
        - regex: "^\\\\{"
        - jsonSchema: { type: object, required: [city] }
        - refusal: true
        - score: 0.7
`,
    });
    const byName = new Map(config.models.map((g) => [g.name, g]));
    expect(byName.get("auto")!.quality).toEqual({ tiers: ["fast", "smart"], threshold: 0.5, router: "builtin" });
    expect(byName.get("auto")!.deployments).toEqual([]);
    expect(byName.get("auto3")!.quality!.router).toBe("./routers/mine.json");
    expect(byName.get("thrifty")!.quality!.strongShare).toBe(0.3);
    expect(byName.get("careful")!.cascade!.checks).toHaveLength(5);
  });

  it("lists every bad shape by its path", () => {
    const problems = problemsOf(`
  - name: one-tier
    quality: { tiers: [fast], threshold: 0.5 }
  - name: both
    quality: { tiers: [fast, smart], threshold: 0.5, strongShare: 0.2 }
  - name: neither
    quality: { tiers: [fast, smart] }
  - name: with-deployments
    quality: { tiers: [fast, smart], threshold: 0.5 }
    deployments: [{ id: d, provider: simulator, model: m }]
  - name: empty
  - name: out-of-range
    quality: { tiers: [fast, smart], threshold: 1.5 }
  - name: bad-check
    cascade: { tiers: [fast, smart], checks: [{ minLength: 3, regex: "x" }] }
  - name: no-checks
    cascade: { tiers: [fast, smart], checks: [] }
  - name: bad-adapt
    quality: { tiers: [fast, smart], threshold: 0.5, adapt: { step: 0, lowScore: 0.9, highScore: 0.1, typo: 1 } }
`);
    expect(problems).toEqual(
      expect.arrayContaining([
        "models[3].quality.tiers: a tiered group needs two or more tiers, cheapest first",
        "models[11].quality.adapt.step: Too small: expected number to be >0",
        'models[11].quality.adapt: Unrecognized key: "typo"',
        "models[11].quality.adapt.lowScore: lowScore must not be above highScore",
        "models[4].quality: give either threshold or strongShare",
        "models[5].quality: give either threshold or strongShare",
        "models[6].deployments: a quality group routes over its tiers and holds no deployments of its own",
        "models[7].deployments: a model group needs at least one deployment (or quality/cascade tiers)",
        "models[10].cascade.checks: a cascade needs at least one check",
      ]),
    );
    expect(problems).toContain("models[8].quality.threshold: Too big: expected number to be <=1");
    expect(problems).toContain("models[9].cascade.checks[0]: a check is exactly one of: minLength, regex, jsonSchema, refusal, score");
  });

  it("lists every bad reference, threshold count, regex and schema at once, by path", () => {
    const problems = problemsOf(`
  - name: auto
    quality: { tiers: [fast, nowhere], threshold: 0.5 }
  - name: nested
    quality: { tiers: [fast, auto], threshold: 0.5 }
  - name: counted
    quality: { tiers: [fast, smart, long], threshold: 0.5 }
  - name: unordered
    quality: { tiers: [fast, smart, long], threshold: [0.8, 0.4] }
  - name: shared
    quality: { tiers: [fast, smart, long], strongShare: 0.3 }
  - name: careful
    cascade:
      tiers: [fast, smart, fast]
      checks: [{ minLength: 2 }, { regex: "(" }, { jsonSchema: { type: objekt } }]
  - name: leaning
    fallbacks: [auto]
    deployments: [{ id: e, provider: simulator, model: m }]
router:
  fallbacks: { contextWindow: [careful] }
`);
    expect(problems).toEqual([
      'models[9].fallbacks[0]: "auto" routes over tiers and cannot be a fallback',
      'models[3].quality.tiers[1]: unknown model group "nowhere"',
      'models[4].quality.tiers[1]: "auto" routes over tiers itself; a tier must be a group with deployments (tiers do not nest)',
      "models[5].quality.threshold: 3 tiers need 2 thresholds (one per boundary), got 1",
      "models[6].quality.threshold: thresholds go up from the cheapest boundary to the strongest",
      "models[7].quality.strongShare: strongShare splits two tiers; give threshold (one per boundary) for 3",
      'models[8].cascade.tiers[2]: "fast" is already tier 0',
      expect.stringMatching(/^models\[8\]\.cascade\.checks\[1\]\.regex: invalid regular expression "\(": /),
      expect.stringMatching(/^models\[8\]\.cascade\.checks\[2\]\.jsonSchema: invalid JSON schema: /),
      'router.fallbacks.contextWindow[0]: "careful" routes over tiers and cannot be a fallback',
    ]);
  });
});
