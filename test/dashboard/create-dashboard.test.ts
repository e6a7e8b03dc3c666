import { readdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDashboard } from "../../src/server/dashboard/create-dashboard.js";
import { findProjectRoot } from "../../src/server/find-project-root.js";

const PUBLIC_DIR = join(findProjectRoot(), "src/server/dashboard/public");

let server: Server;
let base: string;
beforeAll(async () => {
  const dashboard = createDashboard();
  server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0]!;
    if (!dashboard.handle(request, response, path)) {
      response.writeHead(404);
      response.end("not handled");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("createDashboard", () => {
  it("serves the page and every file it loads, with their types", async () => {
    const page = await fetch(`${base}/dashboard`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await page.text();
    const referenced = [...html.matchAll(/(?:src|href)="(\/dashboard\/[^"]+)"/g)].map((m) => m[1]!);
    expect(referenced).toEqual(expect.arrayContaining(["/dashboard/dashboard.css", "/dashboard/graphql-ws.js", "/dashboard/dashboard.js"]));
    for (const path of referenced) {
      const response = await fetch(base + path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("content-type"), path).toMatch(path.endsWith(".css") ? /^text\/css/ : /^text\/javascript/);
    }
    expect(await (await fetch(`${base}/dashboard/graphql-ws.js`)).text()).toContain("graphqlWs");
    expect(referenced).toContain("/dashboard/chart.umd.js");
    expect(await (await fetch(`${base}/dashboard/chart.umd.js`)).text()).toContain("Chart.js v4");
  });

  it("serves every module the page's scripts import", async () => {
    for (const file of readdirSync(PUBLIC_DIR).filter((name) => name.endsWith(".js"))) {
      const imports = [...readFileSync(join(PUBLIC_DIR, file), "utf8").matchAll(/from "\.\/([^"]+)"/g)].map((m) => m[1]!);
      for (const name of imports) expect((await fetch(`${base}/dashboard/${name}`)).status, `${file} imports ${name}`).toBe(200);
    }
  });

  it("serves nothing outside its list", async () => {
    for (const path of ["/dashboard/package.json", "/dashboard/..%2Fpackage.json", "/dashboard/create-dashboard.ts", "/dashboards", "/graphql"]) {
      expect((await fetch(base + path)).status, path).toBe(404);
    }
    expect((await fetch(`${base}/dashboard`, { method: "POST", body: "x" })).status).toBe(404);
  });
});
