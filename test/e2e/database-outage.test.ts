import "reflect-metadata";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSwitchyard } from "../../src/app/start-switchyard.js";
import type { Switchyard } from "../../src/app/switchyard.js";
import { loadConfig } from "../../src/config/index.js";
import { type Database, createDatabase } from "../../src/db/index.js";
import { useTestDatabase } from "../helpers/use-test-database.js";
import { type TcpProxy, startTcpProxy } from "../helpers/tcp-proxy.js";

const onServer = Boolean(process.env.DATABASE_URL);
const redisUrl = process.env.REDIS_URL;

const config = (redis?: string) => `
models:
  - name: main
    deployments:
      - { id: sim, provider: simulator, model: gpt-4o-mini, simulate: { outputTokens: 4 } }
${redis ? `state: { redis: { url: "${redis}", keyPrefix: "sy-outage-${process.pid}-${Date.now()}:" } }` : ""}
`;

/** A real Postgres (and Redis, when REDIS_URL is set) behind TCP proxies that a test cuts under load. */
describe.skipIf(!onServer)("gateway across database outages (skipped without DATABASE_URL)", () => {
  const test = useTestDatabase();
  let pgProxy: TcpProxy;
  let redisProxy: TcpProxy | undefined;
  let database: Database;
  let switchyard: Switchyard;
  let stateDir: string;

  beforeAll(async () => {
    const url = new URL(test.url!);
    pgProxy = await startTcpProxy(url.hostname, Number(url.port || 5432));
    url.hostname = "127.0.0.1";
    url.port = String(pgProxy.port);
    database = await createDatabase({ url: url.toString(), poolMax: 4 });
    let proxiedRedis: string | undefined;
    if (redisUrl) {
      const redis = new URL(redisUrl);
      redisProxy = await startTcpProxy(redis.hostname, Number(redis.port || 6379));
      redis.hostname = "127.0.0.1";
      redis.port = String(redisProxy.port);
      proxiedRedis = redis.toString();
    }
    stateDir = mkdtempSync(join(tmpdir(), "switchyard-outage-"));
    switchyard = await startSwitchyard({
      config: loadConfig({ text: config(proxiedRedis), env: {} }),
      logger: pino({ level: "silent" }),
      port: 0,
      host: "127.0.0.1",
      database,
      stateDir,
    });
  });
  afterAll(async () => {
    await switchyard?.close();
    await database?.close().catch(() => undefined);
    await pgProxy?.close();
    await redisProxy?.close();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });

  const complete = async (i: number): Promise<{ status: number; id?: string }> => {
    const response = await fetch(`${switchyard.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "main", messages: [{ role: "user", content: `outage ${i}` }] }),
    });
    const body = (await response.json()) as { id?: string };
    return { status: response.status, ...(body.id ? { id: body.id.replace(/^chatcmpl-/, "") } : {}) };
  };
  const readyStatus = async () => (await fetch(`${switchyard.url}/readyz`)).status;

  /** Requests from `concurrency` loops until `stop()` says so; returns the ids answered with 200. */
  const load = (concurrency: number, stop: () => boolean) => {
    const answered: string[] = [];
    const statuses = new Map<number, number>();
    let i = 0;
    const done = Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (!stop()) {
          const result = await complete(i++);
          statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1);
          if (result.status === 200 && result.id) answered.push(result.id);
        }
      }),
    );
    return { answered, statuses, done };
  };

  it("stays up when Postgres connections are cut mid-transaction, and stores every answered call after recovery", async () => {
    let phase: "before" | "down" | "after" | "stop" = "before";
    const traffic = load(8, () => phase === "stop");
    await pgProxy.cutWhenClientSends('copy "calls"');
    phase = "down";
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await readyStatus()).toBe(503);
    await pgProxy.restore();
    phase = "after";
    await new Promise((resolve) => setTimeout(resolve, 100));
    phase = "stop";
    await traffic.done;

    await switchyard.callLog.flush();
    expect(switchyard.callLog.stats().failedFlushes).toBeGreaterThan(0);
    expect(traffic.answered.length).toBeGreaterThan(20);
    const stored = (await test.database.db.execute(sql`select id::text as id from calls`)) as unknown as { rows: Array<{ id: string }> };
    const storedIds = new Set(stored.rows.map((row) => row.id));
    expect(traffic.answered.filter((id) => !storedIds.has(id))).toEqual([]);
    expect(await readyStatus()).toBe(200);
  });

  it.skipIf(!redisUrl)("stays up when Redis connections are cut under load, is not ready meanwhile and recovers", async () => {
    let stop = false;
    const traffic = load(8, () => stop);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await redisProxy!.cut();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await readyStatus()).toBe(503);
    await redisProxy!.restore();
    // ioredis reconnects on its own schedule: wait until calls succeed again.
    const deadline = Date.now() + 10_000;
    while ((await readyStatus()) !== 200 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    stop = true;
    await traffic.done;
    // Open dev mode without limits needs no Redis per call: calls may all succeed; none may fail otherwise.
    expect([...traffic.statuses.keys()].every((status) => status === 200 || status === 503)).toBe(true);
    expect((await complete(-2)).status).toBe(200);
    await switchyard.callLog.flush();
    const stored = (await test.database.db.execute(sql`select id::text as id from calls`)) as unknown as { rows: Array<{ id: string }> };
    const storedIds = new Set(stored.rows.map((row) => row.id));
    expect(traffic.answered.filter((id) => !storedIds.has(id))).toEqual([]);
  });
});
