/**
 * The conformance matrix's suite as a test: every door × provider × feature cell against one gateway
 * (the same run `npm run docs:conformance` renders into docs/conformance.md). A failing cell fails here, and so
 * does a docs/conformance.md other than what this run renders (what `npm run docs:conformance:check` checks).
 */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { DOORS, EMBEDDING_DOORS, FEATURES, PROVIDERS, type ConformanceResults } from "./conformance-types.js";
import { renderConformance } from "./render-conformance.js";
import { runConformance } from "./run-conformance.js";

let results: ConformanceResults;

beforeAll(async () => {
  results = await runConformance();
}, 240_000);

describe("the conformance matrix", () => {
  it("has a result for every cell", () => {
    expect(results.cells).toHaveLength(DOORS.length * PROVIDERS.length * FEATURES.length);
    expect(results.embeddings).toHaveLength(EMBEDDING_DOORS.length * PROVIDERS.length);
  });

  it.each(DOORS)("%s: no cell is failing", (door) => {
    const failing = results.cells.filter((cell) => cell.door === door && cell.verdict === "failing").map((cell) => `${cell.provider} × ${cell.feature}: ${cell.note ?? ""}`);
    expect(failing).toEqual([]);
  });

  it.each(EMBEDDING_DOORS)("embeddings through %s: no cell is failing", (door) => {
    const failing = results.embeddings.filter((cell) => cell.door === door && cell.verdict === "failing").map((cell) => `${cell.provider}: ${cell.note ?? ""}`);
    expect(failing).toEqual([]);
  });

  it("is what docs/conformance.md says (npm run -s docs:conformance rewrites it)", () => {
    const current = readFileSync(new URL("../../docs/conformance.md", import.meta.url), "utf8");
    expect(current === renderConformance(results), "docs/conformance.md is out of date: run npm run -s docs:conformance").toBe(true);
  });

  it("shows a provider's limits as unsupported, never as supported: image URLs refused for Bedrock and Ollama, no cache tokens from Ollama", () => {
    const verdict = (door: string, provider: string, feature: string) => results.cells.find((c) => c.door === door && c.provider === provider && c.feature === feature)?.verdict;
    for (const door of DOORS) {
      expect(verdict(door, "bedrock", "imageUrl")).toBe("unsupported");
      expect(verdict(door, "ollama", "imageUrl")).toBe("unsupported");
      expect(verdict(door, "ollama", "cachePricing")).toBe("unsupported");
      expect(verdict(door, "anthropic", "imageUrl")).toBe("supported");
    }
  });
});
