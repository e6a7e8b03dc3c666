import { loadavg } from "node:os";
import { sql } from "drizzle-orm";
import { type DrizzleDb, queryRows } from "../src/db/index.js";
import { isChatCompletion, runHttpLoad } from "./http-mutation-bench.js";
import { machineCpuTicks } from "./process-cpu.js";
import { TICKS_PER_SECOND, pidsNamed, processTicks, spentSeconds, ticksOf } from "./process-ticks.js";
import type { Gateway } from "./start-gateway.js";

const CHAT_BODY = JSON.stringify({ model: "bench", messages: [{ role: "user", content: "Say hello to the benchmark" }] });

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

async function backendPids(db: DrizzleDb, database: string): Promise<number[]> {
  return (await queryRows<{ pid: number }>(db, sql`select pid from pg_stat_activity where datname = ${database}`)).map((row) => row.pid);
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

/** One mode (record or http) of the three-gateways bench on running gateways: calls stored, rollup lag, CPU. */
export async function runPhase(options: {
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
  const ticks = { backends: ticksOf(backendsBefore), postgres: ticksOf(postgresBefore), redis: ticksOf(redisPids), machine: machineCpuTicks() };
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

  const machine = machineCpuTicks();
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
