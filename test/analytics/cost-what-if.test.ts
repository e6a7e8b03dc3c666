import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CostWhatIfDocument, CreateVirtualKeyDocument } from "../gql/graphql.js";
import { GOVERNANCE_CONFIG, MASTER_KEY } from "../governance/governance-config.js";
import { callRecord } from "./call-records.js";
import { startCountingGateway, type CountingGateway } from "./start-counting-gateway.js";

let gateway: CountingGateway;
let k1: { id: string; secret: string };
let k2: { id: string; secret: string };
const from = new Date("2026-03-01T00:00:00Z");
const to = new Date("2026-03-02T00:00:00Z");
const window = { from: from.toISOString(), to: to.toISOString() };
const at = (hour: number) => new Date(from.getTime() + hour * 3_600_000);

// Recorded at the config's prices: gpt-4o-mini 1 / 2 USD per MTok, gpt-4o 5 / 10.
// A (k1, mini): 800 uncached + 200 cached at 1, 500 out at 2          = 0.002
// B (k2, mini): 3000 in at 1, 1000 out at 2                            = 0.005
// C (k1, 4o):   2000 in at 5, 400 out at 10                            = 0.014
// D (k1, 4o) is the day before: outside the window.
beforeAll(async () => {
  gateway = await startCountingGateway(GOVERNANCE_CONFIG, MASTER_KEY);
  const created = [];
  for (const name of ["k1", "k2"]) {
    const result = await gateway.execute(CreateVirtualKeyDocument, { input: { name } });
    created.push({ id: result.data!.createVirtualKey.key.id, secret: result.data!.createVirtualKey.secret });
  }
  [k1, k2] = created as [typeof k1, typeof k2];
  await gateway.record([
    callRecord({ at: at(1), deployment: "sim-fast", keyId: k1.id, promptTokens: 1000, cachedTokens: 200, completionTokens: 500, costPico: 2_000_000_000n }),
    callRecord({ at: at(2), deployment: "sim-fast", keyId: k2.id, promptTokens: 3000, completionTokens: 1000, costPico: 5_000_000_000n }),
    callRecord({ at: at(23.9), deployment: "sim-smart", keyId: k1.id, promptTokens: 2000, completionTokens: 400, costPico: 14_000_000_000n }),
    callRecord({ at: at(-1), deployment: "sim-smart", keyId: k1.id, promptTokens: 1_000_000, completionTokens: 0, costPico: 5_000_000_000_000n }),
  ]);
});
afterAll(async () => {
  await gateway?.close();
});

const cheaperMini = { model: "gpt-4o-mini", inputPerMTok: 0.15, outputPerMTok: 0.6, cachedInputPerMTok: 0.075 };

describe("costWhatIf", () => {
  it("re-prices a model's calls under another price table, exactly", async () => {
    const result = await gateway.execute(CostWhatIfDocument, { window, changes: { prices: [cheaperMini] } });
    expect(result.errors).toBeUndefined();
    const report = result.data!.costWhatIf;
    // mini: 3800 uncached × 0.15 + 200 cached × 0.075 + 1500 out × 0.6, per million = 0.000570 + 0.000015 + 0.000900
    expect(report.byModel).toEqual([
      expect.objectContaining({ model: "gpt-4o", pricedAs: null, requests: 1, actualCostUsdExact: "0.014000000000", whatIfCostUsdExact: "0.014000000000", differenceUsdExact: "0.000000000000" }),
      expect.objectContaining({
        model: "gpt-4o-mini",
        pricedAs: "gpt-4o-mini",
        requests: 2,
        promptTokens: 4000,
        cachedTokens: 200,
        completionTokens: 1500,
        actualCostUsdExact: "0.007000000000",
        whatIfCostUsdExact: "0.001485000000",
        whatIfCostUsd: 0.001485,
        differenceUsdExact: "-0.005515000000",
      }),
    ]);
    expect(report.totals).toEqual({
      requests: 3,
      actualCostUsdExact: "0.021000000000",
      whatIfCostUsd: 0.015485,
      whatIfCostUsdExact: "0.015485000000",
      differenceUsdExact: "-0.005515000000",
    });
  });

  it("prices a model's calls as another model, from the given prices or the catalog", async () => {
    const mapped = await gateway.execute(CostWhatIfDocument, { window, changes: { prices: [cheaperMini], modelMap: [{ from: "gpt-4o", to: "gpt-4o-mini" }] } });
    expect(mapped.errors).toBeUndefined();
    // gpt-4o's calls as mini: 2000 × 0.15 + 400 × 0.6 per million = 0.00054
    expect(mapped.data!.costWhatIf.byModel.find((line) => line.model === "gpt-4o")).toMatchObject({ pricedAs: "gpt-4o-mini", whatIfCostUsdExact: "0.000540000000" });
    expect(mapped.data!.costWhatIf.totals.whatIfCostUsdExact).toBe("0.002025000000");

    // mini's calls at the catalog's gpt-4o price (2.5 in, 1.25 cached, 10 out): 0.0095 + 0.00025 + 0.015
    const catalog = await gateway.execute(CostWhatIfDocument, { window, changes: { modelMap: [{ from: "gpt-4o-mini", to: "gpt-4o" }] } });
    expect(catalog.errors).toBeUndefined();
    expect(catalog.data!.costWhatIf.byModel.find((line) => line.model === "gpt-4o-mini")).toMatchObject({
      pricedAs: "gpt-4o",
      whatIfCostUsdExact: "0.024750000000",
      differenceUsdExact: "0.017750000000",
    });
    expect(catalog.data!.costWhatIf.totals.whatIfCostUsdExact).toBe("0.038750000000");
  });

  it("re-prices only a virtual key's own calls", async () => {
    const result = await gateway.execute(CostWhatIfDocument, { window, changes: { prices: [cheaperMini] } }, k1.secret);
    expect(result.errors).toBeUndefined();
    // A alone for mini: 800 × 0.15 + 200 × 0.075 + 500 × 0.6 per million = 0.000435; C unchanged.
    expect(result.data!.costWhatIf.totals).toMatchObject({ requests: 2, actualCostUsdExact: "0.016000000000", whatIfCostUsdExact: "0.014435000000" });
    const other = await gateway.execute(CostWhatIfDocument, { window, changes: {} }, k2.secret);
    expect(other.data!.costWhatIf.totals).toMatchObject({ requests: 1, actualCostUsdExact: "0.005000000000" });
  });

  it("refuses what it cannot price, naming the field", async () => {
    const unknown = await gateway.execute(CostWhatIfDocument, { window, changes: { modelMap: [{ from: "gpt-4o", to: "no-such-model" }] } });
    expect(unknown.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT" } });
    expect(unknown.errors?.[0]?.message).toMatch(/no-such-model/);
    const negative = await gateway.execute(CostWhatIfDocument, { window, changes: { prices: [{ ...cheaperMini, inputPerMTok: -1 }] } });
    expect(negative.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT" } });
    expect(negative.errors?.[0]?.message).toMatch(/changes\.prices\[0\]\.inputPerMTok/);
    const backwards = await gateway.execute(CostWhatIfDocument, { window: { from: window.to, to: window.from }, changes: {} });
    expect(backwards.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT" } });
  });
});
