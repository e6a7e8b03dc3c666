import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CompleteRoutedDocument, RoutingSavingsDocument } from "../gql/graphql.js";
import { QUALITY_CONFIG } from "../e2e/quality-routing-config.js";
import { EASY, HARD } from "../e2e/quality-routing-config.js";
import { loadLengthScorer } from "../helpers/length-scorer.js";
import { startTestGateway, type TestGateway } from "../helpers/start-test-gateway.js";
import { CHROMIUM, runBrowserTests, launch, lineSeriesOf, openDashboard, ready } from "./open-dashboard.js";
import { pastCall } from "./past-call.js";

const ask = (model: string, content: string) => ({ input: { model, messages: [{ role: "USER" as const, content }] } });

/** A routed call of `auto` logged in the past, answered by the cheap tier: more buckets in the charts. */
function pastRoutedCall(minutesAgo: number, costPico: bigint) {
  return {
    ...pastCall({ minutesAgo, modelGroup: "cheap", deployment: "sim-cheap", costPico }),
    requestedModel: "auto",
    routing: { policy: "quality" as const, score: 0.2, threshold: 0.5, tier: "cheap", reason: "score 0.2 < 0.5" },
  };
}

describe.skipIf(!runBrowserTests)(`routing savings on the dashboard in headless Chromium (skipped without ${CHROMIUM}, except in CI)`, () => {
  let browser: Browser;
  let gateway: TestGateway;
  beforeAll(async () => {
    const started = await Promise.allSettled([launch(), startTestGateway(QUALITY_CONFIG, { loadScorer: loadLengthScorer })] as const);
    if (started[0].status === "fulfilled") browser = started[0].value;
    if (started[1].status === "fulfilled") gateway = started[1].value;
    const failed = started.find((result) => result.status === "rejected");
    if (failed) throw failed.reason;
    for (const [model, content] of [["auto", EASY], ["auto", EASY], ["auto", HARD], ["short-cascade", EASY]] as const) {
      const result = await gateway.execute(CompleteRoutedDocument, ask(model, content));
      expect(result.errors).toBeUndefined();
    }
    gateway.switchyard.callLog.record(pastRoutedCall(7, 2_000_000_000n));
    gateway.switchyard.callLog.record(pastRoutedCall(15, 3_000_000_000n));
    await gateway.flush();
  });
  afterAll(async () => {
    await Promise.all([browser?.close(), gateway?.close()]);
  });

  it("shows each tiered group's savings and strong share, and draws them per bucket from routingSavings", async () => {
    const { page, errors, close } = await openDashboard(browser, gateway);
    try {
      await ready(page);
      expect(await page.locator("#routing").isVisible()).toBe(true);
      const from = new Date(Date.now() - 60 * 60_000).toISOString();
      const report = async (model: string) => (await gateway.execute(RoutingSavingsDocument, { filter: { model, from }, bucket: "MINUTE" })).data!.routingSavings;
      const [auto, cascade] = await Promise.all([report("auto"), report("short-cascade")]);
      expect(auto.totals).toMatchObject({ requests: 5, strongRequests: 1, strongShare: 0.2 });
      expect(cascade.totals).toMatchObject({ requests: 1, escalations: 1, strongShare: 1 });

      // The table: one row per tiered group, totals as routingSavings answers them.
      const table = await page.$$eval("#routing-table tbody tr", (rows) =>
        rows.map((r) => ({
          model: r.getAttribute("data-model")!,
          requests: Number(r.getAttribute("data-requests")),
          share: r.getAttribute("data-strong-share"),
          saved: Number(r.getAttribute("data-saved")),
          escalations: r.querySelector(".escalations")!.textContent,
        })),
      );
      const row = (model: string) => table.find((r) => r.model === model)!;
      expect(row("auto")).toEqual({ model: "auto", requests: 5, share: "0.2", saved: auto.totals.savedUsd, escalations: "0" });
      expect(row("short-cascade")).toEqual({ model: "short-cascade", requests: 1, share: "1", saved: cascade.totals.savedUsd, escalations: "1" });
      expect(row("three")).toMatchObject({ requests: 0, share: "" });
      expect(await page.locator("#routing-table tbody tr").count()).toBe(10); // every quality and cascade group of QUALITY_CONFIG

      // The charts: one series per group with calls, one point per bucket row.
      const drawn = async (chart: string) => Object.fromEntries((await lineSeriesOf(page, chart)).map((s) => [s.name, s.points]));
      const expected = (rows: typeof auto.rows, pick: (r: (typeof auto.rows)[number]) => number | null) =>
        rows.filter((r) => pick(r) !== null).map((r) => [new Date(r.bucketStart as string).toISOString(), pick(r)]);
      const saved = await drawn("#savings-chart");
      expect(Object.keys(saved).sort()).toEqual(["auto", "short-cascade"]);
      expect(saved.auto).toEqual(expected(auto.rows, (r) => r.savedUsd));
      expect(saved["short-cascade"]).toEqual(expected(cascade.rows, (r) => r.savedUsd));
      expect(saved.auto!.length).toBeGreaterThanOrEqual(3);
      // The cascade cost more than the top tier alone would have: drawn below zero, not clipped.
      expect(saved["short-cascade"]![0]![1]).toBeLessThan(0);
      const share = await drawn("#share-chart");
      expect(share.auto).toEqual(expected(auto.rows, (r) => r.strongShare));
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});
