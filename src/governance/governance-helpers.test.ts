import { describe, expect, it } from "vitest";
import { budgetWindow } from "./budget-window.js";
import { createWorstCaseCost } from "./create-worst-case-cost.js";
import { generateKeySecret, hashKeySecret } from "./key-secret.js";
import { matchesAnyGlob } from "./match-model-glob.js";

describe("budgetWindow", () => {
  const at = new Date("2026-11-26T15:30:00Z"); // a Thursday
  it("cuts UTC days, Monday weeks, calendar months and one lifetime", () => {
    expect(budgetWindow("daily", at)).toMatchObject({ id: "daily:2026-11-26", end: new Date("2026-11-27T00:00:00Z") });
    expect(budgetWindow("weekly", at)).toMatchObject({ id: "weekly:2026-11-23", start: new Date("2026-11-23T00:00:00Z") });
    expect(budgetWindow("monthly", at)).toMatchObject({ id: "monthly:2026-11-01", end: new Date("2026-12-01T00:00:00Z") });
    expect(budgetWindow("lifetime", at)).toMatchObject({ id: "lifetime", end: null });
  });
});

describe("matchesAnyGlob", () => {
  it("matches whole names with * and ?, and treats no globs as everything", () => {
    expect(matchesAnyGlob([], ["x"])).toBe(true);
    expect(matchesAnyGlob(["gpt-4o*"], ["gpt-4o-mini"])).toBe(true);
    expect(matchesAnyGlob(["gpt-4o"], ["gpt-4o-mini"])).toBe(false);
    expect(matchesAnyGlob(["fa?t"], ["fast"])).toBe(true);
    expect(matchesAnyGlob(["a.b"], ["axb"])).toBe(false);
  });
});

describe("createWorstCaseCost", () => {
  const cost = createWorstCaseCost(
    [
      { name: "cheap", aliases: ["c"], fallbacks: ["dear"], deployments: [{ inputPico: 1n, outputPico: 2n, maxOutputTokens: 100 }] },
      { name: "dear", aliases: [], fallbacks: [], deployments: [{ inputPico: 10n, outputPico: 20n }] },
      { name: "lone", aliases: [], fallbacks: [], deployments: [{ inputPico: 3n, outputPico: 3n }] },
      { name: "auto", aliases: [], fallbacks: [], tiers: ["lone", "dear"], deployments: [] },
      { name: "careful", aliases: [], fallbacks: [], tiers: ["lone", "dear"], cascade: true, deployments: [] },
    ],
  );
  it("takes the dearest deployment reachable through fallbacks", () => {
    expect(cost("c", 10, 50)).toBe(10n * 10n + 50n * 20n);
    expect(cost("lone", 10, 50)).toBe(30n + 150n);
    expect(cost("lone", 10, 50, ["dear"])).toBe(10n * 10n + 50n * 20n);
  });
  it("takes the dearest tier of a quality group, and every tier of a cascade (each may answer)", () => {
    expect(cost("auto", 10, 50)).toBe(10n * 10n + 50n * 20n);
    expect(cost("careful", 10, 50)).toBe(30n + 150n + (10n * 10n + 50n * 20n));
  });
  it("bounds the output by the catalog's max output tokens, or a default", () => {
    expect(cost("lone", 0, undefined)).toBe(4096n * 3n);
    expect(cost("nope", 1, 1)).toBeUndefined();
  });
});

describe("generateKeySecret", () => {
  it("makes sk-sy- secrets of 256 random bits, hashed with SHA-256", () => {
    const secret = generateKeySecret(() => Buffer.alloc(32, 7));
    expect(secret.secret).toBe(`sk-sy-${Buffer.alloc(32, 7).toString("base64url")}`);
    expect(secret.hash).toBe(hashKeySecret(secret.secret));
    expect(secret.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(secret.prefix).toBe(secret.secret.slice(0, 12));
    expect(generateKeySecret().secret).not.toBe(generateKeySecret().secret);
  });
});
