import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDatabase } from "../../src/db/index.js";

// The gateway as it runs in production: `main.ts` in its own process, stopped with SIGTERM. The
// sources run as they are, compiled on load by SWC (test/helpers/swc-node), so no build is needed.
const mainFile = join(process.cwd(), "src", "main.ts");
const register = join(process.cwd(), "test", "helpers", "swc-node", "register.mjs");

describe("process shutdown", () => {
  it("on SIGTERM stops taking requests, stores every call it answered and exits with 0", async () => {
    const dir = mkdtempSync(join(tmpdir(), "switchyard-shutdown-"));
    const dataDir = join(dir, "pgdata");
    const configPath = join(dir, "switchyard.yaml");
    writeFileSync(
      configPath,
      [
        "server: { host: 127.0.0.1 }",
        "logging: { level: warn }",
        `database: { dataDir: ${JSON.stringify(dataDir)} }`,
        "models:",
        "  - name: main",
        "    deployments:",
        "      - { id: sim, provider: simulator, model: gpt-4o-mini }",
        "",
      ].join("\n"),
    );
    // NODE_ENV=test (set by the test runner) would change how Apollo treats signals: run as in production.
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: "0", NODE_ENV: "production" };
    delete env.DATABASE_URL;
    delete env.SWITCHYARD_MASTER_KEY;
    const child = spawn(process.execPath, ["--import", register, mainFile, "--config", configPath], { cwd: dir, env, stdio: ["ignore", "pipe", "inherit"] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const lines = createInterface({ input: child.stdout });
        lines.on("line", (line) => {
          const found = /Switchyard on (http:\/\/\S+)/.exec(line)?.[1];
          if (found) resolve(found);
        });
        child.once("exit", (code) => reject(new Error(`the gateway exited early with ${code}`)));
      });
      const answered: string[] = [];
      for (let i = 0; i < 5; i++) {
        const response = await fetch(`${url}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ query: `mutation { complete(input: { model: "main", messages: [{ role: USER, content: "hi ${i}" }] }) { id } }` }),
        });
        const body = (await response.json()) as { data?: { complete: { id: string } } };
        answered.push(body.data!.complete.id);
      }
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      const stoppedAt = Date.now();
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      // Well inside main.ts's 20-second forced exit: a clean stop, not a timeout.
      expect(Date.now() - stoppedAt).toBeLessThan(15_000);

      const database = await createDatabase({ dataDir });
      try {
        const stored = (await database.db.execute(sql`select id::text as id from calls`)) as unknown as { rows: Array<{ id: string }> };
        expect(stored.rows.map((row) => row.id).sort()).toEqual([...answered].sort());
      } finally {
        await database.close();
      }
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
