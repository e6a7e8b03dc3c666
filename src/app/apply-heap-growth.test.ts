import { describe, expect, it } from "vitest";
import { loadConfig } from "../config/index.js";
import { DEFAULT_HEAP_GROWTH_PERCENT } from "../config/server-schema.js";
import { applyHeapGrowth } from "./apply-heap-growth.js";

const minimal = "models:\n  - name: fast\n    deployments:\n      - id: a\n        provider: simulator\n        model: gpt-4o-mini\n";

describe("applyHeapGrowth", () => {
  it("sets V8's heap growing percent from server.heapGrowthPercent, the default when absent", () => {
    const set: string[] = [];
    applyHeapGrowth(loadConfig({ text: minimal }).server.heapGrowthPercent, (flags) => set.push(flags));
    applyHeapGrowth(loadConfig({ text: `server: { heapGrowthPercent: 75 }\n${minimal}` }).server.heapGrowthPercent, (flags) => set.push(flags));
    expect(set).toEqual([`--heap-growing-percent=${DEFAULT_HEAP_GROWTH_PERCENT}`, "--heap-growing-percent=75"]);
  });

  it("leaves V8's own heuristic alone at 0", () => {
    const set: string[] = [];
    applyHeapGrowth(loadConfig({ text: `server: { heapGrowthPercent: 0 }\n${minimal}` }).server.heapGrowthPercent, (flags) => set.push(flags));
    expect(set).toEqual([]);
  });
});
