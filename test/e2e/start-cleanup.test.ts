import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { startSwitchyard } from "../../src/app/start-switchyard.js";
import { CloseError, createCloseSteps } from "../../src/app/close-steps.js";
import { loadConfig } from "../../src/config/index.js";
import { findTestRedis, uniqueKeyPrefix } from "../helpers/test-redis.js";

const dir = mkdtempSync(join(tmpdir(), "switchyard-start-cleanup-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Open sockets and listening servers of this process. */
function netHandles(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === "TCPSocketWrap" || kind === "TCPServerWrap").length;
}

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe("a failed start", () => {
  it("fails on a busy port before the embedded database folder is created or migrated", async () => {
    const busy: Server = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    const port = (busy.address() as { port: number }).port;
    const dataDir = join(dir, "busy-port-pgdata");
    const config = loadConfig({
      text: `database: { dataDir: ${JSON.stringify(dataDir)} }\nmodels:\n  - name: m\n    deployments:\n      - { id: sim, provider: simulator, model: gpt-4o-mini }\n`,
      env: {},
    });
    try {
      await expect(startSwitchyard({ config, logger: pino({ level: "silent" }), port, host: "127.0.0.1", stateDir: dir })).rejects.toThrow(
        new RegExp(`Port ${port} on 127.0.0.1 is already in use`),
      );
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });

  it("closes the port, Redis, the simulator and the database it had opened", async () => {
    const redisUrl = await findTestRedis();
    const dataDir = join(dir, "late-failure-pgdata");
    const config = loadConfig({
      text: [
        `database: { dataDir: ${JSON.stringify(dataDir)} }`,
        ...(redisUrl ? [`state: { redis: { url: ${JSON.stringify(redisUrl)}, keyPrefix: "${uniqueKeyPrefix()}" } }`] : []),
        "models:",
        "  - name: m",
        "    deployments:",
        "      - { id: sim, provider: simulator, model: gpt-4o-mini }",
        "      - { id: az, provider: azure, model: gpt-4o-mini, apiKey: k, baseUrl: 'https://x.openai.azure.com' }",
        "",
      ].join("\n"),
      env: {},
    });
    // A fault late in the start: the azure adapter, made after the port, Redis, the database and the
    // simulator are up, finds no baseUrl (taken away past the config's own check).
    delete (config.models[0]!.deployments[1] as { baseUrl?: string }).baseUrl;
    await settle();
    const before = netHandles();
    await expect(startSwitchyard({ config, logger: pino({ level: "silent" }), port: 0, host: "127.0.0.1", stateDir: dir })).rejects.toThrow(/resource root/);
    await settle();
    expect(netHandles()).toBe(before);
    // The database was migrated, then closed: its lock is gone and the folder opens again.
    expect(existsSync(dataDir)).toBe(true);
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
  });
});

describe("close steps", () => {
  it("run in reverse order, every one, and report each failure by name", async () => {
    const steps = createCloseSteps();
    const ran: string[] = [];
    steps.add("first", () => ran.push("first"));
    steps.add("second", () => {
      ran.push("second");
      throw new Error("boom");
    });
    steps.add("third", async () => {
      ran.push("third");
      throw new Error("bang");
    });
    const failures = await steps.run();
    expect(ran).toEqual(["third", "second", "first"]);
    expect(failures.map((f) => f.message)).toEqual(["closing third failed: bang", "closing second failed: boom"]);
    const error = new CloseError(failures);
    expect(error).toBeInstanceOf(AggregateError);
    expect(error.errors).toHaveLength(2);
    expect(error.message).toContain("2 steps failed");
    expect(await steps.run()).toEqual([]);
  });
});
