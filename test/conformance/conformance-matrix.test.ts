/**
 * The conformance matrix's suite as a test: every door × provider × feature cell against one gateway
 * (the same run `npm run docs:conformance` renders into docs/conformance.md). A failing cell fails here.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { DOORS, FEATURES, PROVIDERS, type CellResult } from "./conformance-types.js";
import { runConformance } from "./run-conformance.js";

let results: CellResult[];

beforeAll(async () => {
  results = await runConformance();
}, 240_000);

describe("the conformance matrix", () => {
  it("has a result for every cell", () => {
    expect(results).toHaveLength(DOORS.length * PROVIDERS.length * FEATURES.length);
  });

  it.each(DOORS)("%s: no cell is failing", (door) => {
    const failing = results.filter((cell) => cell.door === door && cell.verdict === "failing").map((cell) => `${cell.provider} × ${cell.feature}: ${cell.note ?? ""}`);
    expect(failing).toEqual([]);
  });

  it("shows a provider's limits as unsupported, never as supported: image URLs refused for Bedrock and Ollama, no cache tokens from Ollama", () => {
    const verdict = (door: string, provider: string, feature: string) => results.find((c) => c.door === door && c.provider === provider && c.feature === feature)?.verdict;
    for (const door of DOORS) {
      expect(verdict(door, "bedrock", "imageUrl")).toBe("unsupported");
      expect(verdict(door, "ollama", "imageUrl")).toBe("unsupported");
      expect(verdict(door, "ollama", "cachePricing")).toBe("unsupported");
      expect(verdict(door, "anthropic", "imageUrl")).toBe("supported");
    }
  });
});
