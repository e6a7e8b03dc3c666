/**
 * Three gateway processes on one Postgres database and one Redis, writing calls together (issue 15's
 * benchmark; not part of CI or `npm run bench`).
 *
 *   node --import ./test/helpers/swc-node/register.mjs bench/three-gateways.ts [--mode record|http|both] [--seconds 20]
 *     [--rate CALLS_PER_S] [--gateways 3] [--connections 32] [--port 41700] [--redis redis://127.0.0.1:6379] [--name sy_…] [--keep] [--cpu-prof DIR]
 *
 * Creates a scratch database `sy_bench_gateways_<random>` (or `--name`) on DATABASE_URL (default: the
 * local server), migrates it, and starts each gateway as its own process (gateway-writer-child.ts:
 * startSwitchyard from a config file, as `switchyard serve` does) with the state store in Redis under a
 * key prefix of the run's own. Then, per mode:
 * - `record`: each process records synthetic calls (1–2 attempts each) through its own call log as
 *   fast as the writer stores them. This measures the write path (batches, attempts, rollup increments,
 *   the mergers of three instances) without an HTTP load generator on the same cores.
 * - `http`: autocannon sends chat completions to every gateway at once (a simulated deployment inside
 *   each gateway, answering at once), so calls take the whole request path, load generator included.
 * Reported: calls stored per second together; the time from the last call recorded (or answered) until
 * every process has stored its calls, and until the rollups are complete (no increment pending in
 * `call_rollup_deltas` and the rollups counting every call stored); CPU seconds of the gateways and
 * of Postgres (this database's backends, and every Postgres process, other databases included) over
 * the run, and the machine's load.
 */
import { fork, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { extname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { type DrizzleDb, createDatabase, queryRows } from "../src/db/index.js";
import { LOCAL_POSTGRES_URL, runAdminStatement } from "./bench-database.js";
import { gatewayConfigHead } from "./gateway-config-head.js";
import type { ChildMessage, ParentMessage } from "./gateway-writer-child.js";
import { isChatCompletion, runHttpLoad } from "./http-mutation-bench.js";

const TICKS_PER_SECOND = 100;
const CHAT_BODY = JSON.stringify({ model: "bench", messages: [{ role: "user", content: "Say hello to the benchmark" }] });

interface Gateway {
  child: ChildProcess;
  url: string;
  messages: ChildMessage[];
  waitFor<T extends ChildMessage["type"]>(type: T): Promise<Extract<ChildMessage, { type: T }>>;
  send(message: ParentMessage): void;
}

export interface PhaseFigures {
  mode: "record" | "http";
  gateways: number;
  seconds: number;
  calls: number;
  callsPerSecond: number;
  /** From the last call recorded (or answered) until every gateway had stored its calls. */
  lastCallToStoredMs: number;
  /** From the last call recorded (or answered) until the rollups were complete. */
  lastCallToRollupsMs: number;
  /** From the moment every call was stored until the rollups were complete. */
  storedToRollupsMs: number;
  /** Increments pending when the load stopped. */
  pendingAtStop: number;
  cpuSeconds: { gateways: number[]; postgresThisDatabase: number; postgresAll: number; redis: number; machineBusy: number; machineTotal: number };
  loadAverage: [number, number, number];
  http?: { connections: number; ok: number; non2xx: number; errors: number; p50Ms: number | null; p99Ms: number | null };
}


/** utime + stime of a process, in clock ticks (0 when it is gone). */
function processTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

function pidsNamed(name: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSafe("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim() === name) pids.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}

function readdirSafe(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

/** Busy and total clock ticks of the whole machine (/proc/stat's cpu line). */
function machineTicks(): { busy: number; total: number } {
  const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((sum, value) => sum + value, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

/** CPU ticks of a set of processes now, by pid. */
const ticksOf = (pids: number[]) => new Map(pids.map((pid) => [pid, processTicks(pid)]));

/** CPU seconds since `before` of the processes still running (one that ended meanwhile is left out: its last figure is gone). */
function spentSeconds(before: Map<number, number>, pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    const now = processTicks(pid);
    if (now > 0) ticks += now - (before.get(pid) ?? 0);
  }
  return ticks / TICKS_PER_SECOND;
}

async function backendPids(db: DrizzleDb, database: string): Promise<number[]> {
  return (await queryRows<{ pid: number }>(db, sql`select pid from pg_stat_activity where datname = ${database}`)).map((row) => row.pid);
}

function startGateway(index: number, configPath: string, port: number, stateDir: string, cpuProfileDir?: string): Promise<Gateway> {
  const childPath = fileURLToPath(new URL(`./gateway-writer-child${extname(fileURLToPath(import.meta.url))}`, import.meta.url));
  const execArgv = [...process.execArgv, ...(cpuProfileDir ? ["--cpu-prof", "--cpu-prof-dir", cpuProfileDir] : [])];
  const child = fork(childPath, [configPath, String(port), stateDir], { stdio: ["ignore", "inherit", "inherit", "ipc"], execArgv });
  const messages: ChildMessage[] = [];
  const waiters: Array<{ type: ChildMessage["type"]; resolve: (message: ChildMessage) => void }> = [];
  child.on("message", (message: ChildMessage) => {
    messages.push(message);
    for (const waiter of waiters.filter((w) => w.type === message.type)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(message);
    }
  });
  const exited = new Promise<never>((_, reject) => child.once("exit", (code) => reject(new Error(`gateway ${index} exited (code ${code})`))));
  exited.catch(() => undefined);
  const gateway: Gateway = {
    child,
    url: "",
    messages,
    waitFor: <T extends ChildMessage["type"]>(type: T) =>
      Promise.race([new Promise<Extract<ChildMessage, { type: T }>>((resolve) => waiters.push({ type, resolve: resolve as (m: ChildMessage) => void })), exited]),
    send: (message) => child.send(message),
  };
  return gateway.waitFor("ready").then((ready) => ({ ...gateway, url: ready.url }));
}

async function rollupState(db: DrizzleDb): Promise<{ pending: number; rolled: number; calls?: number }> {
  const [row] = await queryRows<{ pending: number; rolled: number }>(db, sql`
    select (select count(*) from call_rollup_deltas)::float8 as pending,
      (select coalesce(sum(requests), 0) from call_rollups where grain = 1440 and breakdown = 2)::float8 as rolled`);
  return { pending: Number(row?.pending ?? 0), rolled: Number(row?.rolled ?? 0) };
}

async function countCalls(db: DrizzleDb): Promise<number> {
  return Number((await queryRows<{ n: number }>(db, sql`select count(*)::float8 as n from calls`))[0]?.n ?? 0);
}

async function runPhase(options: {
  mode: "record" | "http";
  gateways: Gateway[];
  db: DrizzleDb;
  databaseName: string;
  seconds: number;
  connections: number;
  /** Record mode: calls a second for all gateways together (split evenly); none: as fast as each writer stores. */
  rate?: number;
  log: (line: string) => void;
}): Promise<PhaseFigures> {
  const { mode, gateways, db, databaseName, seconds, log } = options;
  const callsBefore = await countCalls(db);
  const rolledBefore = (await rollupState(db)).rolled;
  if (rolledBefore !== callsBefore) throw new Error(`rollups count ${rolledBefore} calls of ${callsBefore} before the run`);
  const backendsBefore = await backendPids(db, databaseName);
  const postgresBefore = pidsNamed("postgres");
  const redisPids = pidsNamed("redis-server");
  const ticks = { backends: ticksOf(backendsBefore), postgres: ticksOf(postgresBefore), redis: ticksOf(redisPids), machine: machineTicks() };
  const gatewayCpuBefore = gateways.map((gateway) => processTicks(gateway.child.pid!));
  const began = Date.now();

  let lastCallAt: number;
  let http: PhaseFigures["http"];
  // Waiting starts before anything is sent, so no answer can come before its waiter.
  const storedMessages = Promise.all(gateways.map((gateway) => gateway.waitFor("stored")));
  if (mode === "record") {
    const recordedMessages = Promise.all(gateways.map((gateway) => gateway.waitFor("recorded")));
    const rate = options.rate === undefined ? undefined : options.rate / gateways.length;
    for (const gateway of gateways) gateway.send({ type: "record", seconds, ...(rate === undefined ? {} : { rate }) });
    const recorded = await recordedMessages;
    lastCallAt = Math.max(...recorded.map((message) => message.at));
  } else {
    const perGateway = Math.max(1, Math.round(options.connections / gateways.length));
    const loads = await Promise.all(
      gateways.map((gateway) => runHttpLoad({ url: gateway.url, path: "/v1/chat/completions", body: CHAT_BODY, connections: perGateway, seconds, isSuccess: isChatCompletion })),
    );
    lastCallAt = Date.now();
    const samples = loads.map((load) => load.latencyMs);
    http = {
      connections: perGateway * gateways.length,
      ok: loads.reduce((sum, load) => sum + load.ok, 0),
      non2xx: loads.reduce((sum, load) => sum + load.non2xx, 0),
      errors: loads.reduce((sum, load) => sum + load.connectionErrors + load.timeouts, 0),
      p50Ms: samples[0]?.p50 ?? null,
      p99Ms: samples[0]?.p99 ?? null,
    };
    if (loads[0]?.firstFailure) log(`  first failed request: ${loads[0].firstFailure}`);
    for (const gateway of gateways) gateway.send({ type: "flush" });
  }
  const pendingAtStop = (await rollupState(db)).pending;
  const stored = await storedMessages;
  const storedAt = Math.max(...stored.map((message) => message.at));
  const lost = stored.reduce((sum, message) => sum + message.lost + message.spilled + message.quarantined, 0);
  if (lost > 0) log(`  warning: ${lost} calls spilled, quarantined or lost`);

  // Rollups complete: nothing pending and every stored call counted. Polled every 20 ms.
  const callsAfter = await countCalls(db);
  let state = await rollupState(db);
  while (state.pending > 0 || state.rolled < callsAfter) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    state = await rollupState(db);
  }
  const rolledAt = Date.now();
  if (state.rolled !== callsAfter) throw new Error(`rollups count ${state.rolled} calls, the log holds ${callsAfter}`);

  const machine = machineTicks();
  const calls = callsAfter - callsBefore;
  const windowSeconds = (storedAt - began) / 1000;
  const backendsAfter = await backendPids(db, databaseName);
  const figures: PhaseFigures = {
    mode,
    gateways: gateways.length,
    seconds: windowSeconds,
    calls,
    callsPerSecond: calls / windowSeconds,
    lastCallToStoredMs: storedAt - lastCallAt,
    lastCallToRollupsMs: rolledAt - lastCallAt,
    storedToRollupsMs: rolledAt - storedAt,
    pendingAtStop,
    cpuSeconds: {
      gateways: gateways.map((gateway, i) => (processTicks(gateway.child.pid!) - gatewayCpuBefore[i]!) / TICKS_PER_SECOND),
      postgresThisDatabase: spentSeconds(ticks.backends, [...new Set([...backendsBefore, ...backendsAfter])]),
      postgresAll: spentSeconds(ticks.postgres, pidsNamed("postgres")),
      redis: spentSeconds(ticks.redis, redisPids),
      machineBusy: (machine.busy - ticks.machine.busy) / TICKS_PER_SECOND,
      machineTotal: (machine.total - ticks.machine.total) / TICKS_PER_SECOND,
    },
    loadAverage: loadavg().map((value) => Number(value.toFixed(2))) as [number, number, number],
    ...(http ? { http } : {}),
  };
  const cpu = figures.cpuSeconds;
  const gatewayCpu = cpu.gateways.reduce((sum, value) => sum + value, 0);
  log(`  ${mode}: ${calls.toLocaleString("en-US")} calls stored by ${gateways.length} gateways in ${windowSeconds.toFixed(1)} s → ${Math.round(figures.callsPerSecond).toLocaleString("en-US")} calls/s together`);
  if (http) log(`    HTTP: ${http.ok} answered (${http.non2xx} non-2xx, ${http.errors} errors) on ${http.connections} connections; first gateway's latency p50 ${http.p50Ms?.toFixed(1)} ms, p99 ${http.p99Ms?.toFixed(1)} ms`);
  log(`    last call → all stored ${figures.lastCallToStoredMs} ms; last call → rollups complete ${figures.lastCallToRollupsMs} ms (stored → rollups ${figures.storedToRollupsMs} ms; ${pendingAtStop} increments pending at the stop)`);
  log(
    `    CPU s: gateways ${cpu.gateways.map((value) => value.toFixed(1)).join(" + ")} = ${gatewayCpu.toFixed(1)}; Postgres (this database) ${cpu.postgresThisDatabase.toFixed(1)}, ` +
      `(all) ${cpu.postgresAll.toFixed(1)}; Redis ${cpu.redis.toFixed(1)}; machine busy ${cpu.machineBusy.toFixed(1)} of ${cpu.machineTotal.toFixed(1)}`,
  );
  log(
    `    per CPU second of gateways + this database's Postgres: ${Math.round(calls / (gatewayCpu + cpu.postgresThisDatabase)).toLocaleString("en-US")} calls ` +
      `(gateways alone ${Math.round(calls / gatewayCpu).toLocaleString("en-US")}, Postgres alone ${Math.round(calls / cpu.postgresThisDatabase).toLocaleString("en-US")}); load average ${figures.loadAverage.join(", ")}`,
  );
  return figures;
}

export async function runThreeGatewaysBench(options: {
  url: string;
  redisUrl: string;
  modes: Array<"record" | "http">;
  seconds: number;
  gateways: number;
  connections: number;
  /** Record mode: calls a second for all gateways together; none: as fast as the writers store. */
  rate?: number;
  port: number;
  name?: string;
  keep?: boolean;
  /** Each gateway runs under `node --cpu-prof` and writes its profile here when it closes. */
  cpuProfileDir?: string;
  log: (line: string) => void;
}) {
  const { url, log } = options;
  const name = options.name ?? `sy_bench_gateways_${randomBytes(5).toString("hex")}`;
  await runAdminStatement(url, `create database ${name}`);
  const scratch = new URL(url);
  scratch.pathname = `/${name}`;
  const tempDir = mkdtempSync(join(tmpdir(), "sy-gateways-"));
  const database = await createDatabase({ url: scratch.toString(), poolMax: 2 });
  const gateways: Gateway[] = [];
  try {
    // Migrated once here, so the gateways do not race each other to it.
    await database.migrate();
    const configPath = join(tempDir, "switchyard.yaml");
    writeFileSync(
      configPath,
      [
        ...gatewayConfigHead({ url: scratch.toString() }),
        "state:",
        "  redis:",
        `    url: ${JSON.stringify(options.redisUrl)}`,
        `    keyPrefix: ${JSON.stringify(`${name}:`)}`,
        "models:",
        "  - name: bench",
        "    deployments:",
        "      - { id: sim, provider: simulator, model: gpt-4o-mini, simulate: { outputTokens: 12 } }",
        "router:",
        "  retries: 0",
        "",
      ].join("\n"),
    );
    for (let i = 0; i < options.gateways; i++) gateways.push(await startGateway(i, configPath, options.port + i, join(tempDir, `state-${i}`), options.cpuProfileDir));
    log(`three-gateways: ${options.gateways} gateway processes on ${name} and Redis ${new URL(options.redisUrl).host}; ${options.seconds} s per mode; load average ${loadavg().map((v) => v.toFixed(2)).join(", ")}`);
    const phases: PhaseFigures[] = [];
    for (const mode of options.modes) {
      phases.push(await runPhase({ mode, gateways, db: database.db, databaseName: name, seconds: options.seconds, connections: options.connections, ...(options.rate === undefined ? {} : { rate: options.rate }), log }));
    }
    return { name: "three-gateways", database: name, phases };
  } finally {
    await Promise.all(
      gateways.map(async (gateway) => {
        const exited = new Promise((resolve) => (gateway.child.exitCode === null ? gateway.child.once("exit", resolve) : resolve(undefined)));
        gateway.send({ type: "close" });
        // It exits by itself once closed (and writes its --cpu-prof profile); killed only if it does not.
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 30_000))]);
        if (gateway.child.exitCode === null) gateway.child.kill();
      }),
    );
    await database.close();
    rmSync(tempDir, { recursive: true, force: true });
    if (options.keep) log(`  kept scratch database ${name}`);
    else await runAdminStatement(url, `drop database if exists ${name} with (force)`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { values } = parseArgs({
    options: {
      mode: { type: "string" },
      seconds: { type: "string" },
      gateways: { type: "string" },
      connections: { type: "string" },
      rate: { type: "string" },
      port: { type: "string" },
      redis: { type: "string" },
      name: { type: "string" },
      keep: { type: "boolean" },
      "cpu-prof": { type: "string" },
    },
  });
  const mode = values.mode ?? "both";
  const result = await runThreeGatewaysBench({
    url: process.env.DATABASE_URL || LOCAL_POSTGRES_URL,
    redisUrl: values.redis ?? "redis://127.0.0.1:6379",
    modes: mode === "both" ? ["record", "http"] : [mode as "record" | "http"],
    seconds: Number(values.seconds ?? 20),
    gateways: Number(values.gateways ?? 3),
    connections: Number(values.connections ?? 32),
    ...(values.rate === undefined ? {} : { rate: Number(values.rate) }),
    port: Number(values.port ?? 41700),
    ...(values.name === undefined ? {} : { name: values.name }),
    keep: values.keep ?? false,
    ...(values["cpu-prof"] === undefined ? {} : { cpuProfileDir: values["cpu-prof"] }),
    log: (line) => console.log(line),
  });
  console.log(JSON.stringify(result));
}
