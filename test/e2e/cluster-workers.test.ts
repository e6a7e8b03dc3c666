import { spawnSync } from "node:child_process";
import { request } from "node:http";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type GatewayProcess, spawnGatewayProcess } from "../helpers/spawn-gateway-process.js";
import { useTestDatabase } from "../helpers/use-test-database.js";
import { deleteKeysUnder, findTestRedis, uniqueKeyPrefix } from "../helpers/test-redis.js";

const MASTER_KEY = "sk-master-cluster-workers-test";
const onServer = Boolean(process.env.DATABASE_URL);
// With REDIS_URL set (CI) a Redis that is down fails this test; it skips only on a machine with neither.
const redisUrl = onServer ? await findTestRedis() : undefined;
const keyPrefix = uniqueKeyPrefix();

interface Answer {
  status: number;
  /** The pid of the worker that served it (x-switchyard-worker). */
  worker: string;
  body: Record<string, unknown>;
}

/** One request on a connection of its own, so the cluster hands each to the next worker in turn. */
function send(url: string, path: string, body: unknown, secret = MASTER_KEY): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const outgoing = request(
      `${url}${path}`,
      { method: "POST", agent: false, headers: { "content-type": "application/json", authorization: `Bearer ${secret}`, "content-length": Buffer.byteLength(payload) } },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (text += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, worker: String(response.headers["x-switchyard-worker"]), body: JSON.parse(text) as Record<string, unknown> }));
      },
    );
    outgoing.on("error", reject);
    // A connection the primary handed to a worker at the moment it was killed is never answered.
    outgoing.setTimeout(10_000, () => outgoing.destroy(new Error("no answer in 10 s")));
    outgoing.end(payload);
  });
}

const chat = (url: string, content: string, secret?: string) => send(url, "/v1/chat/completions", { model: "main", messages: [{ role: "user", content }] }, secret);
const callId = (answer: Answer) => String(answer.body.id).replace(/^chatcmpl-/, "");

// Skipped on the embedded-PGlite run: several workers need a Postgres server (the config check refuses PGlite).
describe.skipIf(!onServer || redisUrl === undefined)("server.workers: 2 (main.ts as a child process, on Postgres and Redis)", () => {
  let dir: string;
  const test = useTestDatabase();
  let gateway: GatewayProcess;
  let url: string;
  const answered: string[] = [];
  /** The answered calls in the call log (the refused ones are there too, as errors). */
  const storedIds = async () =>
    ((await test.database.db.execute(sql`select id::text as id from calls where status = 'SUCCESS'`)) as unknown as { rows: Array<{ id: string }> }).rows
      .map((row) => row.id)
      .sort();
  const refusedCount = async () =>
    Number(((await test.database.db.execute(sql`select count(*)::int as n from calls where status <> 'SUCCESS'`)) as unknown as { rows: Array<{ n: number }> }).rows[0]!.n);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "switchyard-workers-"));
    const configPath = join(dir, "switchyard.yaml");
    writeFileSync(
      configPath,
      [
        "server: { host: 127.0.0.1, workers: 2 }",
        "logging: { level: warn }",
        `database: { url: ${JSON.stringify(test.url)} }`,
        `state: { redis: { url: ${JSON.stringify(redisUrl)}, keyPrefix: ${JSON.stringify(keyPrefix)} } }`,
        "models:",
        "  - name: main",
        "    deployments:",
        "      - { id: sim, provider: simulator, model: gpt-4o-mini }",
        "",
      ].join("\n"),
    );
    gateway = spawnGatewayProcess(dir, configPath, { SWITCHYARD_MASTER_KEY: MASTER_KEY });
    url = await gateway.url;
  }, 120_000);

  afterAll(async () => {
    if (gateway?.child.exitCode === null) gateway.child.kill("SIGKILL");
    if (redisUrl) await deleteKeysUnder(redisUrl, [keyPrefix]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("serves from two processes and holds one per-key rate limit across both", async () => {
    const warmUp: Answer[] = [];
    for (let i = 0; i < 4; i++) warmUp.push(await chat(url, `warm ${i}`));
    expect(warmUp.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(new Set(warmUp.map((a) => a.worker)).size).toBe(2);
    answered.push(...warmUp.map(callId));

    const created = await send(url, "/graphql", { query: `mutation { createVirtualKey(input: { name: "shared rpm", rpm: 4 }) { secret } }` });
    const secret = (created.body as { data: { createVirtualKey: { secret: string } } }).data.createVirtualKey.secret;
    const limited: Answer[] = [];
    for (let i = 0; i < 10; i++) limited.push(await chat(url, `limited ${i}`, secret));
    // Each worker alone would admit 4 of its 5.
    expect(limited.filter((a) => a.status === 200)).toHaveLength(4);
    expect(limited.filter((a) => a.status === 429)).toHaveLength(6);
    expect(new Set(limited.map((a) => a.worker)).size).toBe(2);
    answered.push(...limited.filter((a) => a.status === 200).map(callId));

    // Every answered call reaches the call log, whichever worker wrote it.
    await vi.waitFor(async () => expect(await storedIds()).toEqual([...answered].sort()), { timeout: 20_000, interval: 200 });
    await vi.waitFor(async () => expect(await refusedCount()).toBe(6), { timeout: 20_000, interval: 200 });
  }, 120_000);

  it("sums /metrics over the workers", async () => {
    const response = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${MASTER_KEY}` } });
    expect(response.status).toBe(200);
    const text = await response.text();
    const successes = [...text.matchAll(/^switchyard_calls_total\{[^}]*status="SUCCESS"[^}]*\} (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
    expect(successes).toBe(answered.length);
  });

  it("starts a new worker in the place of one that died", async () => {
    const pids = new Set<string>();
    for (let i = 0; i < 2; i++) {
      const answer = await chat(url, `before the kill ${i}`);
      answered.push(callId(answer));
      pids.add(answer.worker);
    }
    expect(pids.size).toBe(2);
    // Nothing of the victim's is still in memory when it is killed (without writeAhead a SIGKILL loses its buffer).
    await vi.waitFor(async () => expect(await storedIds()).toEqual([...answered].sort()), { timeout: 20_000, interval: 200 });
    const victim = [...pids][0]!;
    process.kill(Number(victim), "SIGKILL");
    await vi.waitFor(
      async () => {
        const answer = await chat(url, "after the kill");
        expect(answer.status).toBe(200);
        answered.push(callId(answer));
        expect(pids.has(answer.worker)).toBe(false);
      },
      { timeout: 60_000, interval: 300 },
    );
  }, 120_000);

  it("on SIGTERM every worker drains its call log and the primary exits with 0", async () => {
    const last: Answer[] = [];
    for (let i = 0; i < 4; i++) last.push(await chat(url, `last ${i}`));
    answered.push(...last.map(callId));
    gateway.child.kill("SIGTERM");
    expect(await gateway.exited).toBe(0);
    expect(await storedIds()).toEqual([...answered].sort());
    expect(await refusedCount()).toBe(6);
  }, 120_000);
});

describe("server.workers: 2 without Redis or Postgres", () => {
  it("refuses to start, naming the config path", async () => {
    const dir = mkdtempSync(join(tmpdir(), "switchyard-workers-refused-"));
    try {
      const configPath = join(dir, "switchyard.yaml");
      writeFileSync(configPath, ["server: { workers: 2 }", "models:", "  - name: main", "    deployments:", "      - { id: sim, provider: simulator, model: gpt-4o-mini }", ""].join("\n"));
      const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production" };
      delete env.DATABASE_URL;
      delete env.SWITCHYARD_REDIS_URL;
      const result = spawnSync(process.execPath, ["--import", join(process.cwd(), "test", "helpers", "swc-node", "register.mjs"), join(process.cwd(), "src", "main.ts"), "--config", configPath], { cwd: dir, env, encoding: "utf8", timeout: 60_000 });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain("server.workers: 2 worker processes need state.redis.url");
      expect(result.stderr).toContain("server.workers: 2 worker processes need a Postgres database.url");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
