import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createTestDatabase } from "../helpers/test-database.js";
import { startTcpProxy } from "../helpers/tcp-proxy.js";

// main.ts in its own process, as in production (see process-shutdown.test.ts), killed with SIGKILL.
const mainFile = join(process.cwd(), "src", "main.ts");
const register = join(process.cwd(), "test", "helpers", "swc-node", "register.mjs");
const onServer = Boolean(process.env.DATABASE_URL);

function startGateway(cwd: string, configPath: string): { child: ChildProcess; url: Promise<string> } {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: "0", NODE_ENV: "production" };
  delete env.DATABASE_URL;
  delete env.SWITCHYARD_MASTER_KEY;
  const child = spawn(process.execPath, ["--import", register, mainFile, "--config", configPath], { cwd, env, stdio: ["ignore", "pipe", "inherit"] });
  const url = new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      const found = /Switchyard on (http:\/\/\S+)/.exec(line)?.[1];
      if (found) resolve(found);
    });
    child.once("exit", (code) => reject(new Error(`the gateway exited early with ${code}`)));
  });
  return { child, url };
}

const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("exit", () => resolve())));

// The database sits behind a TCP proxy that is cut before the calls, so they can only be in the
// writer's memory (and its write-ahead file) when the process is killed.
describe.skipIf(!onServer)("SIGKILL with the call log's write-ahead file (skipped without DATABASE_URL)", () => {
  it("stores after a restart every call answered before the kill", async () => {
    const dir = mkdtempSync(join(tmpdir(), "switchyard-sigkill-"));
    const test = await createTestDatabase();
    const target = new URL(test.url!);
    const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const proxied = new URL(test.url!);
    proxied.hostname = "127.0.0.1";
    proxied.port = String(proxy.port);
    const configPath = join(dir, "switchyard.yaml");
    writeFileSync(
      configPath,
      [
        "server: { host: 127.0.0.1 }",
        "logging: { level: error }",
        `database: { url: ${JSON.stringify(proxied.toString())}, callLog: { writeAhead: true } }`,
        "models:",
        "  - name: main",
        "    deployments:",
        "      - { id: sim, provider: simulator, model: gpt-4o-mini }",
        "",
      ].join("\n"),
    );
    const children: ChildProcess[] = [];
    try {
      const first = startGateway(dir, configPath);
      children.push(first.child);
      const url = await first.url;
      await proxy.cut();
      const answered: string[] = [];
      for (let i = 0; i < 6; i++) {
        const response = await fetch(`${url}/v1/chat/completions`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ model: "main", messages: [{ role: "user", content: `kill ${i}` }] }),
        });
        expect(response.status).toBe(200);
        answered.push(((await response.json()) as { id: string }).id.replace(/^chatcmpl-/, ""));
      }
      first.child.kill("SIGKILL");
      await exited(first.child);
      await proxy.restore();

      const second = startGateway(dir, configPath);
      children.push(second.child);
      await second.url;
      const stored = async () =>
        ((await test.database.db.execute(sql`select id::text as id from calls`)) as unknown as { rows: Array<{ id: string }> }).rows.map((row) => row.id);
      const deadline = Date.now() + 20_000;
      while ((await stored()).length < answered.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      expect((await stored()).sort()).toEqual([...answered].sort());
      second.child.kill("SIGTERM");
      await exited(second.child);
      expect(second.child.exitCode).toBe(0);
    } finally {
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await proxy.close();
      await test.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
