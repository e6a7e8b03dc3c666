import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type GatewayProcess, spawnGatewayProcess } from "../helpers/spawn-gateway-process.js";
import { type TestDatabase, createTestDatabase } from "../helpers/test-database.js";
import { type TcpProxy, startTcpProxy } from "../helpers/tcp-proxy.js";

const onServer = Boolean(process.env.DATABASE_URL);

const config = (databaseUrl: string, writeAhead: boolean) =>
  [
    "server: { host: 127.0.0.1 }",
    "logging: { level: fatal }",
    `database: { url: ${JSON.stringify(databaseUrl)}${writeAhead ? ", callLog: { writeAhead: true }" : ""} }`,
    "models:",
    "  - name: main",
    "    deployments:",
    "      - { id: sim, provider: simulator, model: gpt-4o-mini }",
    "",
  ].join("\n");

async function complete(url: string, content: string): Promise<string> {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "main", messages: [{ role: "user", content }] }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { id: string }).id.replace(/^chatcmpl-/, "");
}

// main.ts in its own process, as in production. The database sits behind a TCP proxy that is cut
// before the calls, so they can only be in the writer's memory (and its files) when the process stops.
describe.skipIf(!onServer)("gateway process faults (skipped without DATABASE_URL)", () => {
  let dir: string;
  let test: TestDatabase;
  let proxy: TcpProxy;
  let configPath: string;
  const processes: GatewayProcess[] = [];
  const start = () => {
    const gateway = spawnGatewayProcess(dir, configPath);
    processes.push(gateway);
    return gateway;
  };
  const writeConfig = (writeAhead: boolean) => {
    const proxied = new URL(test.url!);
    proxied.hostname = "127.0.0.1";
    proxied.port = String(proxy.port);
    writeFileSync(configPath, config(proxied.toString(), writeAhead));
  };
  const stored = async () =>
    ((await test.database.db.execute(sql`select id::text as id from calls`)) as unknown as { rows: Array<{ id: string }> }).rows.map((row) => row.id);

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "switchyard-faults-"));
    configPath = join(dir, "switchyard.yaml");
    test = await createTestDatabase();
    const target = new URL(test.url!);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
  });
  afterEach(async () => {
    for (const { child } of processes.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await proxy.close();
    await test.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it("with the write-ahead file, stores after a restart every call answered before a SIGKILL", async () => {
    writeConfig(true);
    const first = start();
    const url = await first.url;
    await proxy.cut();
    const answered: string[] = [];
    for (let i = 0; i < 6; i++) answered.push(await complete(url, `kill ${i}`));
    first.child.kill("SIGKILL");
    await first.exited;
    await proxy.restore();

    const second = start();
    await second.url;
    const deadline = Date.now() + 20_000;
    while ((await stored()).length < answered.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await stored()).sort()).toEqual([...answered].sort());
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  }, 90_000);

  it("exits non-zero at SIGTERM when calls can be neither stored nor spilled", async () => {
    writeConfig(false);
    // A file where the spill directory should be: the spill at shutdown fails.
    mkdirSync(join(dir, ".switchyard"));
    writeFileSync(join(dir, ".switchyard", "spill"), "");
    const gateway = start();
    const url = await gateway.url;
    await proxy.cut();
    for (let i = 0; i < 3; i++) await complete(url, `lost ${i}`);
    gateway.child.kill("SIGTERM");
    // After the call log's 10 s of retries, well before main.ts's 20 s forced exit.
    expect(await gateway.exited).toBe(1);
  }, 90_000);
});
