import { existsSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import type { TestGateway } from "../helpers/start-test-gateway.js";

export const CHROMIUM = "/usr/bin/chromium";
const inCi = Boolean(process.env.CI) && process.env.CI !== "false";
/**
 * Whether the browser tests run: always in CI (CI set; .ci/run sets it), where a missing Chromium
 * then fails at launch; elsewhere only when Chromium is installed (skipped with a warning).
 */
export const runBrowserTests = existsSync(CHROMIUM) || inCi;

export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is absent: the dashboard's browser tests need it (apt-get install chromium)`);
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** A fresh browser context (own localStorage) that records page errors and every URL it loads. */
export async function openDashboard(browser: Browser, gateway: TestGateway) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const errors: string[] = [];
  const urls: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("request", (request) => urls.push(request.url()));
  page.on("websocket", (socket) => urls.push(socket.url()));
  await page.goto(`${gateway.url}/dashboard`);
  return { page, errors, urls, close: () => context.close() };
}

export const ready = (page: Page) => page.waitForSelector('#status[data-state="ready"]');
export const connected = (page: Page) => page.waitForSelector('#live[data-state="connected"]');

/** What a line chart draws: its series, each point as [ISO time, value] (read from the Chart.js instance). */
export async function lineSeriesOf(page: Page, selector: string): Promise<Array<{ name: string; points: Array<[string, number]> }>> {
  return page.$eval(selector, (container) => {
    const chart = (container as unknown as { chart?: { data: { datasets: Array<{ label: string; data: Array<{ x: number; y: number }> }> } } }).chart;
    return (chart?.data.datasets ?? []).map((d) => ({ name: d.label, points: d.data.map((p) => [new Date(p.x).toISOString(), p.y] as [string, number]) }));
  });
}

/** What a bar chart draws: [label, value] per bar. */
export async function barsOf(page: Page, selector: string): Promise<Array<[string, number]>> {
  return page.$eval(selector, (container) => {
    const chart = (container as unknown as { chart?: { data: { labels: string[]; datasets: Array<{ data: number[] }> } } }).chart;
    return chart ? chart.data.labels.map((label, i) => [label, chart.data.datasets[0]!.data[i]!] as [string, number]) : [];
  });
}
