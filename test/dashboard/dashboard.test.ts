import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CompleteDocument, CreateTeamDocument, CreateVirtualKeyDocument, ModelHealthDocument, ModelHealthRecentDocument, UsageDocument } from "../gql/graphql.js";
import { startTestGateway, type TestGateway } from "../helpers/start-test-gateway.js";
import { barsOf, CHROMIUM, connected, runBrowserTests, launch, lineSeriesOf, openDashboard, ready } from "./open-dashboard.js";
import { pastCall } from "./past-call.js";

if (!runBrowserTests) console.warn(`dashboard browser tests skipped: ${CHROMIUM} is absent (apt-get install chromium)`);

const CONFIG = `
models:
  - name: fast
    deployments:
      - { id: sim-fast, provider: simulator, model: gpt-4o-mini, simulate: { outputTokens: 12 } }
  - name: smart
    deployments:
      - { id: sim-smart, provider: simulator, model: gpt-4o, simulate: { outputTokens: 30 } }
  - name: main
    retries: 1
    deployments:
      - { id: down, provider: simulator, model: gpt-4o-mini, weight: 1000, simulate: { failures: { serverError: 1 } } }
      - { id: up, provider: simulator, model: gpt-4o-mini }
router:
  cooldown: { failures: 2, windowMs: 60000, durationMs: 60000 }
`;
const MASTER_KEY = "sk-dashboard-master";

const ask = (model: string) => ({ input: { model, messages: [{ role: "USER" as const, content: "hi" }] } });

describe.skipIf(!runBrowserTests)(`dashboard in headless Chromium (skipped without ${CHROMIUM}, except in CI)`, () => {
  // Both gateways and the browser start at once: booting a gateway (migrations) is most of this file's time.
  let browser: Browser;
  let open: TestGateway;
  let keyed: TestGateway;
  beforeAll(async () => {
    const started = await Promise.allSettled([launch(), startTestGateway(CONFIG), startTestGateway(CONFIG, { masterKey: MASTER_KEY })] as const);
    if (started[0].status === "fulfilled") browser = started[0].value;
    if (started[1].status === "fulfilled") open = started[1].value;
    if (started[2].status === "fulfilled") keyed = started[2].value;
    const failed = started.find((result) => result.status === "rejected");
    if (failed) throw failed.reason;
  });
  afterAll(async () => {
    await Promise.all([browser?.close(), open?.close(), keyed?.close()]);
  });

  describe("open dev mode", () => {
    let gateway: TestGateway;
    beforeAll(async () => {
      gateway = open;
      for (const model of ["fast", "fast", "fast", "smart", "smart"]) {
        const result = await gateway.execute(CompleteDocument, ask(model), null);
        expect(result.errors).toBeUndefined();
        expect(result.data?.complete.id).toBeTruthy();
      }
      // Older calls put more than one bucket in each series, and one failure on sim-fast.
      gateway.switchyard.callLog.record(pastCall({ minutesAgo: 5, modelGroup: "fast", deployment: "sim-fast", costPico: 3_000_000_000n }));
      gateway.switchyard.callLog.record(pastCall({ minutesAgo: 12, modelGroup: "fast", deployment: "sim-fast", costPico: 7_000_000_000n, error: true }));
      gateway.switchyard.callLog.record(pastCall({ minutesAgo: 20, modelGroup: "smart", deployment: "sim-smart", costPico: 11_000_000_000n }));
      await gateway.flush();
    });
    it("draws cost, error rate, latency and health from the GraphQL data, and shows pushed transitions", async () => {
      const { page, errors, urls, close } = await openDashboard(browser, gateway);
      try {
        await Promise.all([ready(page), connected(page)]);
        const from = new Date(Date.now() - 60 * 60_000).toISOString();

        // Cost over time: one series per model, one point per (model, minute) row, at the row's cost.
        const cost = (await gateway.execute(UsageDocument, { filter: { from }, groupBy: ["MODEL"], bucket: "MINUTE" })).data!.usage.rows;
        const expected = new Map<string, Array<[string, number]>>();
        for (const row of cost) {
          const list = expected.get(row.key[0]!) ?? [];
          list.push([new Date(row.bucketStart as string).toISOString(), row.costUsd]);
          expected.set(row.key[0]!, list);
        }
        const drawn = (await lineSeriesOf(page, "#cost-chart")).map((s) => ({ model: s.name, points: s.points }));
        expect(drawn.map((s) => s.model).sort()).toEqual(["fast", "smart"]);
        for (const series of drawn) {
          const rows = expected.get(series.model)!.sort(([a], [b]) => a.localeCompare(b));
          expect(series.points).toEqual(rows);
        }
        expect(drawn.find((s) => s.model === "fast")!.points.length).toBeGreaterThanOrEqual(3);
        expect(drawn.find((s) => s.model === "smart")!.points.length).toBeGreaterThanOrEqual(2);

        // Error rate and latency: one bar per deployment row of usage(groupBy: [DEPLOYMENT]).
        const byDeployment = (await gateway.execute(UsageDocument, { filter: { from }, groupBy: ["DEPLOYMENT"] })).data!.usage.rows;
        const errorBars = await barsOf(page, "#error-chart");
        expect(Object.fromEntries(errorBars)).toEqual(Object.fromEntries(byDeployment.map((r) => [r.key[0], r.errors / r.requests])));
        expect(Object.fromEntries(errorBars)["sim-fast"]).toBeCloseTo(1 / 5);
        // Latency is drawn the same way as the error rate: bars, one per deployment, at the row's p95.
        const latencyBars = await barsOf(page, "#latency-chart");
        expect(latencyBars.map(([label]) => label).sort()).toEqual(byDeployment.map((r) => r.key[0]).sort());
        expect(latencyBars.every(([, ms]) => ms > 0)).toBe(true);

        // Spend by key and by team: open dev mode calls carry neither, so one bar each, at the window's total.
        const byKey = await barsOf(page, "#key-spend-chart");
        expect(byKey.map(([label]) => label)).toEqual(["(no key: master key or open mode)"]);
        expect(byKey[0]![1]).toBeCloseTo(cost.reduce((sum, row) => sum + row.costUsd, 0), 12);
        expect((await barsOf(page, "#team-spend-chart")).map(([label]) => label)).toEqual(["(no team)"]);

        // Chart text is drawn at the page's size: the canvas is not scaled by CSS, and its font is the page's.
        const text = (await page.evaluate(`(() => {
          const canvas = document.querySelector("#cost-chart canvas");
          const chart = document.getElementById("cost-chart").chart;
          return {
            scale: canvas.width / (canvas.getBoundingClientRect().width * devicePixelRatio),
            font: Chart.defaults.font.size,
            page: parseFloat(getComputedStyle(document.body).fontSize),
            yAxisLeft: chart.scales.y.left,
            yTitle: chart.options.scales.y.title.text,
          };
        })()`)) as { scale: number; font: number; page: number; yAxisLeft: number; yTitle: string };
        expect(text.scale).toBeCloseTo(1, 2);
        expect(text.font).toBeLessThanOrEqual(text.page);
        expect(text.font).toBeGreaterThanOrEqual(text.page * 0.8);
        // The y axis and its title are inside the canvas (not clipped at the left edge).
        expect(text.yAxisLeft).toBeGreaterThanOrEqual(0);
        expect(text.yTitle).toBe("USD per minute");

        // Live and stored rates are labelled as such and explained.
        const headers = await page.$$eval("#deployments thead th", (cells) => cells.map((c) => c.textContent!.replace(/\s+/g, " ").trim()));
        expect(headers).toEqual(expect.arrayContaining(["Attempt errors, livethis instance · 5 min", "Attempt errors, storedall instances · 5 min", "Call error ratestored · window"]));
        expect(await page.locator("#rates-note").textContent()).toMatch(/attempt[\s\S]*call/);

        // Health table: every deployment modelHealth lists, with its status.
        const health = (await gateway.execute(ModelHealthDocument, {})).data!.modelHealth;
        const table = await page.$$eval("#deployments tbody tr", (rows) =>
          rows.map((r) => [r.getAttribute("data-deployment"), r.querySelector(".status .badge")!.textContent]),
        );
        expect(table).toEqual(health.map((h) => [h.deployment, h.status]));
        expect(table.map(([deployment]) => deployment)).toEqual(["sim-fast", "sim-smart", "down", "up"]);
        // Stored attempt outcomes of every instance, from modelHealth { recent }.
        const recent = (await gateway.execute(ModelHealthRecentDocument, {})).data!.modelHealth;
        const recentCells = await page.$$eval("#deployments tbody tr", (rows) =>
          rows.map((r) => {
            const cell = r.querySelector("td.recent")!;
            return [r.getAttribute("data-deployment"), Number(cell.getAttribute("data-failed")), Number(cell.getAttribute("data-judged"))];
          }),
        );
        expect(recentCells).toEqual(recent.map((h) => [h.deployment, h.recent.failed, h.recent.succeeded + h.recent.failed]));
        expect(recentCells.find(([deployment]) => deployment === "sim-fast")![2]).toBeGreaterThanOrEqual(3);

        // Live: failures on "down" push DEGRADED then COOLING_DOWN over the subscription; no reload happens.
        // Until the first change the panel says what will appear there.
        expect(await page.locator("#transitions-empty").isVisible()).toBe(true);
        await page.waitForTimeout(500); // the subscription starts just after the socket is acknowledged
        for (let i = 0; i < 4; i++) await gateway.execute(CompleteDocument, ask("main"), null);
        await page.waitForSelector('#transitions li[data-deployment="down"][data-status="COOLING_DOWN"]');
        expect(await page.locator('#transitions li[data-deployment="down"][data-status="DEGRADED"]').count()).toBe(1);
        expect(await page.locator('#deployments tr[data-deployment="down"] .status .badge').textContent()).toBe("COOLING_DOWN");
        expect(await page.locator('#deployments tr[data-deployment="down"] .last-error').textContent()).toMatch(/server/i);
        expect(await page.locator('#deployments tr[data-deployment="down"] .last-error').textContent()).toContain("[simulated]");
        expect(await page.locator("#transitions-empty").isVisible()).toBe(false);

        // No quality or cascade group: no routing section.
        expect(await page.locator("#routing").isVisible()).toBe(false);
        expect(errors).toEqual([]);
        // Everything comes from the gateway itself: no CDN.
        const origin = new URL(gateway.url).host;
        expect(urls.filter((url) => new URL(url).host !== origin)).toEqual([]);
      } finally {
        await close();
      }
    });
  });

  describe("with a master key", () => {
    let gateway: TestGateway;
    let analystSecret: string;
    let analystPrefix: string;
    let analystId: string;
    let idleSecret: string;
    beforeAll(async () => {
      gateway = keyed;
      await gateway.execute(CompleteDocument, ask("fast"));
      const team = (await gateway.execute(CreateTeamDocument, { input: { name: "research" } })).data!.createTeam;
      const analyst = (await gateway.execute(CreateVirtualKeyDocument, { input: { name: "analyst", teamId: team.id } })).data!.createVirtualKey;
      analystSecret = analyst.secret;
      analystPrefix = analyst.key.keyPrefix;
      analystId = analyst.key.id;
      idleSecret = (await gateway.execute(CreateVirtualKeyDocument, { input: { name: "idle" } })).data!.createVirtualKey.secret;
      expect((await gateway.execute(CompleteDocument, ask("smart"), analystSecret)).errors).toBeUndefined();
      await gateway.flush();
    });
    it("asks for a key, then sends it as a Bearer token and in connectionParams", async () => {
      const { page, errors, close } = await openDashboard(browser, gateway);
      try {
        await page.waitForSelector('#status[data-state="error"]');
        expect(await page.locator("#status").textContent()).toMatch(/key/i);
        await page.waitForSelector('#live[data-state="refused"]');
        expect(await page.locator("#cost-chart canvas").count()).toBe(0);

        await page.fill("#key-input", MASTER_KEY);
        await page.click('#key-form button[type="submit"]');
        await Promise.all([ready(page), connected(page)]);
        expect((await lineSeriesOf(page, "#cost-chart")).map((s) => s.name)).toEqual(["fast", "smart"]);
        // Spend by key and team, named from virtualKeys: the team's key and the master key's calls.
        const byKey = Object.fromEntries(await barsOf(page, "#key-spend-chart"));
        expect(Object.keys(byKey).sort()).toEqual(["(no key: master key or open mode)", "analyst (" + analystPrefix + "…)"]);
        const keyed = (await gateway.execute(UsageDocument, { filter: { from: new Date(Date.now() - 3_600_000).toISOString() }, groupBy: ["KEY"] })).data!.usage.rows;
        expect(byKey["analyst (" + analystPrefix + "…)"]).toBeCloseTo(keyed.find((r) => r.key[0] === analystId)!.costUsd, 12);
        expect(Object.keys(Object.fromEntries(await barsOf(page, "#team-spend-chart"))).sort()).toEqual(["(no team)", "research"]);
        expect(await page.evaluate("localStorage.getItem('switchyard.key')")).toBe(MASTER_KEY);

        // The stored key is used again after a reload, without the form.
        await page.reload();
        await Promise.all([ready(page), connected(page)]);
        expect(await page.locator("#deployments tbody tr").count()).toBe(4);
        expect(errors).toEqual([]);
      } finally {
        await close();
      }
    });

    it("a key without calls sees a sentence in every empty panel, never an empty box", async () => {
      const { page, errors, close } = await openDashboard(browser, gateway);
      try {
        await page.fill("#key-input", idleSecret);
        await page.click('#key-form button[type="submit"]');
        await Promise.all([ready(page), connected(page)]);
        for (const chart of ["#cost-chart", "#key-spend-chart", "#team-spend-chart", "#error-chart", "#latency-chart"]) {
          expect(await page.locator(`${chart} canvas`).count(), chart).toBe(0);
          expect(await page.locator(`${chart} p.empty`).textContent(), chart).toMatch(/No calls in this window/);
        }
        expect(await page.locator("#transitions-empty").isVisible()).toBe(true);
        expect(errors).toEqual([]);
      } finally {
        await close();
      }
    });
  });
});
