import { existsSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import type { TestGateway } from "../helpers/start-test-gateway.js";

export const CHROMIUM = "/usr/bin/chromium";
export const hasChromium = existsSync(CHROMIUM);

export async function launch(): Promise<Browser> {
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
