import { describe, expect, it } from "vitest";
import type { RoutedCallTotals } from "../db/routing-totals-reads.js";
import { createRoutingSavings, topTierPrice } from "./create-routing-savings.js";

const row = (role: RoutedCallTotals["role"], calls: number, actualPico: bigint): RoutedCallTotals => ({
  bucketStart: null,
  role,
  calls,
  escalations: 0,
  uncachedInputTokens: 1_000n,
  cachedTokens: 0n,
  cacheWriteTokens: 0n,
  completionTokens: 100n,
  reasoningTokens: 0n,
  actualPico,
});

describe("topTierPrice", () => {
  it("takes the cheapest known deployment price (the first on a tie), so savings are never overstated", () => {
    const dear = { inputPico: 10n, outputPico: 30n };
    const cheap = { inputPico: 5n, outputPico: 15n };
    const same = { inputPico: 15n, outputPico: 5n };
    expect(topTierPrice([dear, undefined, cheap, same])).toBe(cheap);
    expect(topTierPrice([undefined])).toBeUndefined();
  });
});

describe("createRoutingSavings", () => {
  const group = { name: "auto", names: ["auto"], policy: "quality" as const, tiers: ["fast", "smart"], topTierPrice: { inputPico: 5n, outputPico: 15n } };

  it("counts an unpriced top tier as costing nothing, like its calls, and says MODEL_NOT_FOUND for a plain group", async () => {
    const reads = { routedCallTotals: async () => [row("lower", 2, 100n), row("top", 1, 900n)] };
    const unpriced = createRoutingSavings({ reads, findGroup: () => ({ ...group, topTierPrice: undefined }) });
    expect((await unpriced.compute({ model: "auto" })).totals).toMatchObject({ requests: 3, strongRequests: 1, actualPico: 1_000n, topTierPico: 900n });
    const priced = createRoutingSavings({ reads, findGroup: () => group });
    // 1,000 input tokens × 5 + 100 output tokens × 15 = 6,500 for the cheaper answers.
    expect((await priced.compute({ model: "auto" })).totals.topTierPico).toBe(900n + 6_500n);
    const none = createRoutingSavings({ reads, findGroup: () => undefined });
    await expect(none.compute({ model: "fast" })).rejects.toMatchObject({ code: "MODEL_NOT_FOUND" });
  });
});
