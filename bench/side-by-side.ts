import { Pool } from "undici";
import type { ChildHandle } from "./spawn-child.js";
import { COMPLETE_MUTATION_BODY, OPENAI_CHAT_BODY, isChatCompletion, isCompleteResult, runHttpLoad, type HttpLoadResult } from "./http-mutation-bench.js";
import { httpTask, runOpenLoop, sseTtftTask, wsTtftTask, type OpenLoopResult, type OpenLoopTask } from "./open-loop.js";
import { formatRuntimeWindow, runtimeWindow, scrapeRuntime, type RuntimeWindow } from "./runtime-window.js";
import { connectWsClients } from "./ws-ttft-bench.js";
import { cpuMicrosByThread } from "./process-cpu.js";

export interface SideBySideOptions {
  upstream: ChildHandle;
  floor: ChildHandle;
  /** The gateway under test, and optionally an earlier build measured back to back with it. */
  gateways: Array<{ label: string; handle: ChildHandle }>;
  rate: number;
  streamRate: number;
  seconds: number;
  warmupSeconds: number;
  /**
   * Before any gateway door is measured, each gateway is driven through every door with this many
   * requests at the door's measured rate: a fresh process spends its first thousands of requests
   * compiling and growing its heap, which would otherwise fall on whichever door is measured first.
   */
  gatewayWarmupRequests: number;
  /** Which HTTP door of the gateways is measured first (the streams follow in their order). */
  doorOrder: "v1-first" | "graphql-first";
  closedLoopSeconds: number;
  closedLoopConnections: number;
  log(line?: string): void;
}

export interface Row {
  label: string;
  kind: "http" | "stream";
  result: OpenLoopResult;
  runtime?: RuntimeWindow;
  /** The gateway's CPU per request during the run: its main thread, and its other threads (V8's compiler and GC helpers among them). */
  cpu?: GatewayCpu;
}

export interface GatewayCpu {
  mainUsPerCall: number;
  otherUsPerCall: number;
}

export interface ClosedRow {
  label: string;
  result: HttpLoadResult;
  runtime?: RuntimeWindow;
}

export interface SideBySideResult {
  rows: Row[];
  closed: ClosedRow[];
  /** Successful and sent calls through each gateway, for the persistence check. */
  gatewayCalls: { ok: number; sent: number; inFlightAtStop: number };
}

const V1_BODY = JSON.stringify({ model: "bench", messages: [{ role: "user", content: "Say hello to the benchmark" }] });
const STREAM_BODY = (model: string) =>
  JSON.stringify({ model, messages: [{ role: "user", content: "Tell the benchmark a story" }], stream: true, stream_options: { include_usage: true } });

/**
 * Every face measured the same way, one after the other: the upstream alone, the floor proxy, and
 * each gateway's /v1, GraphQL `complete`, SSE and graphql-ws streams, open loop at a fixed rate;
 * then closed-loop throughput. Each gateway's event-loop delay and GC pauses are read from its
 * /metrics around each of its runs.
 */
export async function runSideBySide(options: SideBySideOptions): Promise<SideBySideResult> {
  const { log } = options;
  const pools: Pool[] = [];
  const pool = (url: string): Pool => {
    const created = new Pool(url, { connections: 1024, pipelining: 1, headersTimeout: 60_000, bodyTimeout: 60_000 });
    pools.push(created);
    return created;
  };
  const upstreamPool = pool(options.upstream.url);
  const floorPool = pool(options.floor.url);
  const gateways = await Promise.all(
    options.gateways.map(async ({ label, handle }) => ({ label, handle, pool: pool(handle.url), ws: await connectWsClients(handle.url, 20) })),
  );
  const rows: Row[] = [];
  const closed: ClosedRow[] = [];
  const gatewayCalls = { ok: 0, sent: 0, inFlightAtStop: 0 };

  const measure = async (label: string, kind: Row["kind"], rate: number, task: OpenLoopTask, gateway?: ChildHandle): Promise<void> => {
    const warm = await runOpenLoop(rate, options.warmupSeconds, task);
    const before = gateway ? await scrapeRuntime(gateway.url) : undefined;
    const cpuBefore = gateway ? cpuMicrosByThread(gateway.pid) : undefined;
    const result = await runOpenLoop(rate, options.seconds, task);
    const cpuAfter = gateway ? cpuMicrosByThread(gateway.pid) : undefined;
    const runtime = gateway && before ? runtimeWindow(before, await scrapeRuntime(gateway.url)) : undefined;
    const cpu = cpuBefore && cpuAfter ? { mainUsPerCall: (cpuAfter.main - cpuBefore.main) / result.sent, otherUsPerCall: (cpuAfter.other - cpuBefore.other) / result.sent } : undefined;
    if (gateway) countGatewayCalls(warm, result);
    rows.push({ label, kind, result, ...(runtime ? { runtime } : {}), ...(cpu ? { cpu } : {}) });
    log(`  ${label}: ${result.ok}/${result.sent} ok, p50 ${result.latencyMs.p50.toFixed(3)} p99 ${result.latencyMs.p99.toFixed(3)} p99.9 ${result.latencyMs.p999.toFixed(3)} ms` +
      `${runtime ? `; ${formatRuntimeWindow(runtime)}` : ""}${cpu ? `; ${formatGatewayCpu(cpu)}` : ""}${result.firstFailure ? `; first failure: ${result.firstFailure}` : ""}`);
  };
  const countGatewayCalls = (...runs: OpenLoopResult[]): void => {
    for (const run of runs) {
      gatewayCalls.ok += run.ok;
      gatewayCalls.sent += run.sent;
    }
  };

  try {
    log(`Open loop at ${options.rate} req/s (streams ${options.streamRate}/s): warm-up ${options.warmupSeconds} s, then ${options.seconds} s, each…`);
    const doors = (g: (typeof gateways)[number]) => {
      const v1 = { label: "/v1", kind: "http" as const, rate: options.rate, task: httpTask(g.pool, "/v1/chat/completions", V1_BODY, isChatCompletion) };
      const graphql = { label: "GraphQL complete", kind: "http" as const, rate: options.rate, task: httpTask(g.pool, "/graphql", COMPLETE_MUTATION_BODY, isCompleteResult) };
      return [
        ...(options.doorOrder === "graphql-first" ? [graphql, v1] : [v1, graphql]),
        { label: "/v1 SSE TTFT", kind: "stream" as const, rate: options.streamRate, task: sseTtftTask(g.pool, "/v1/chat/completions", STREAM_BODY("bench")) },
        { label: "graphql-ws TTFT", kind: "stream" as const, rate: options.streamRate, task: wsTtftTask(g.ws) },
      ];
    };
    await measure("upstream", "http", options.rate, httpTask(upstreamPool, "/v1/chat/completions", OPENAI_CHAT_BODY, isChatCompletion));
    await measure("floor", "http", options.rate, httpTask(floorPool, "/v1/chat/completions", OPENAI_CHAT_BODY, isChatCompletion));
    if (options.gatewayWarmupRequests > 0) {
      log(`  (each gateway warms up through every door, ${options.gatewayWarmupRequests} requests each, before any is measured)`);
      for (const g of gateways) for (const door of doors(g)) countGatewayCalls(await runOpenLoop(door.rate, options.gatewayWarmupRequests / door.rate, door.task));
    }
    const measureDoor = (index: number) => async (g: (typeof gateways)[number]) => {
      const door = doors(g)[index]!;
      await measure(`${door.label}${suffix(g.label)}`, door.kind, door.rate, door.task, g.handle);
    };
    for (const index of [0, 1]) for (const g of gateways) await measureDoor(index)(g);
    await measure("upstream SSE TTFT", "stream", options.streamRate, sseTtftTask(upstreamPool, "/v1/chat/completions", STREAM_BODY("gpt-4o-mini")));
    await measure("floor SSE TTFT", "stream", options.streamRate, sseTtftTask(floorPool, "/v1/chat/completions", STREAM_BODY("gpt-4o-mini")));
    for (const index of [2, 3]) for (const g of gateways) await measureDoor(index)(g);

    log(`Closed loop: ${options.closedLoopConnections} connections, warm-up 1 s, then ${options.closedLoopSeconds} s, each…`);
    const closedRun = async (label: string, url: string, path: string, body: string, isSuccess: (text: string) => boolean, gateway: boolean): Promise<void> => {
      const load = { url, path, body, connections: options.closedLoopConnections, isSuccess };
      const warm = await runHttpLoad({ ...load, seconds: 1 });
      const before = gateway ? await scrapeRuntime(url) : undefined;
      const result = await runHttpLoad({ ...load, seconds: options.closedLoopSeconds });
      const runtime = gateway && before ? runtimeWindow(before, await scrapeRuntime(url)) : undefined;
      if (gateway) {
        gatewayCalls.ok += warm.ok + result.ok;
        gatewayCalls.sent += warm.sent + result.sent;
        gatewayCalls.inFlightAtStop += warm.sent - warm.responses + (result.sent - result.responses);
      }
      closed.push({ label, result, ...(runtime ? { runtime } : {}) });
      log(`  ${label}: ${result.requestsPerSecond.toFixed(0)} req/s, ${result.non2xx + result.badBodies} failed${runtime ? `; ${formatRuntimeWindow(runtime)}` : ""}`);
    };
    await closedRun("floor", options.floor.url, "/v1/chat/completions", OPENAI_CHAT_BODY, isChatCompletion, false);
    const closedV1 = async () => {
      for (const g of gateways) await closedRun(`/v1${suffix(g.label)}`, g.handle.url, "/v1/chat/completions", V1_BODY, isChatCompletion, true);
    };
    const closedGraphQL = async () => {
      for (const g of gateways) await closedRun(`GraphQL complete${suffix(g.label)}`, g.handle.url, "/graphql", COMPLETE_MUTATION_BODY, isCompleteResult, true);
    };
    for (const run of options.doorOrder === "graphql-first" ? [closedGraphQL, closedV1] : [closedV1, closedGraphQL]) await run();
    return { rows, closed, gatewayCalls };
  } finally {
    await Promise.all(gateways.flatMap((g) => g.ws.map((client) => client.dispose())));
    await Promise.all(pools.map((p) => p.close()));
  }
}

const suffix = (label: string): string => (label === "" ? "" : ` (${label})`);

const formatGatewayCpu = (cpu: GatewayCpu): string => `CPU ${cpu.mainUsPerCall.toFixed(0)} + ${cpu.otherUsPerCall.toFixed(0)} µs/call (main + other threads)`;

/** The side-by-side table: latency added over the upstream, and against the floor. */
export function formatSideBySide(result: SideBySideResult, rate: number, streamRate: number): string[] {
  const lines: string[] = [];
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : "n/a").padStart(9);
  const added = (v: number) => (Number.isFinite(v) ? `${v >= 0 ? "+" : ""}${v.toFixed(3)}` : "n/a").padStart(9);
  const ratio = (a: number, b: number) => (b > 0 && Number.isFinite(a) ? `${(a / b).toFixed(2)}×` : "n/a").padStart(7);
  for (const kind of ["http", "stream"] as const) {
    const rows = result.rows.filter((r) => r.kind === kind);
    const upstream = rows[0];
    const floor = rows[1];
    if (!upstream || !floor) continue;
    lines.push(kind === "http" ? `Open loop, ${rate} req/s — ms, whole answer` : `Streams, ${streamRate}/s, 8+ chunks — ms to first token (TTFT)`);
    lines.push(`  ${"".padEnd(30)}${"p50".padStart(9)}${"p99".padStart(9)}${"p99.9".padStart(9)} │${"+p50".padStart(9)}${"+p99".padStart(9)}${"+p99.9".padStart(9)} │ added ÷ floor's added p50/p99/p99.9 │ gateway loop delay, GC`);
    for (const row of rows) {
      const l = row.result.latencyMs;
      const u = upstream.result.latencyMs;
      const fl = floor.result.latencyMs;
      const a = { p50: l.p50 - u.p50, p99: l.p99 - u.p99, p999: l.p999 - u.p999 };
      const fa = { p50: fl.p50 - u.p50, p99: fl.p99 - u.p99, p999: fl.p999 - u.p999 };
      const ratios = row === upstream ? "".padEnd(21) : `${ratio(a.p50, fa.p50)}${ratio(a.p99, fa.p99)}${ratio(a.p999, fa.p999)}`;
      const fails = row.result.failed > 0 ? ` ${row.result.failed} FAILED` : "";
      lines.push(`  ${row.label.padEnd(30)}${f(l.p50)}${f(l.p99)}${f(l.p999)} │${row === upstream ? "".padEnd(27) : `${added(a.p50)}${added(a.p99)}${added(a.p999)}`} │ ${ratios}`.padEnd(0) +
        `${"".padEnd(15)}│ ${row.runtime ? formatRuntimeWindow(row.runtime) : ""}${row.cpu ? `; ${formatGatewayCpu(row.cpu)}` : ""}${fails}`);
    }
    lines.push("");
  }
  const floorRps = result.closed[0]?.result.requestsPerSecond ?? Number.NaN;
  lines.push(`Closed loop, ${result.closed[0]?.result.connections ?? "?"} connections — req/s`);
  for (const row of result.closed) {
    const r = row.result;
    lines.push(`  ${row.label.padEnd(30)}${r.requestsPerSecond.toFixed(0).padStart(9)}  ${ratio(r.requestsPerSecond, floorRps)} of the floor${r.non2xx + r.badBodies > 0 ? `, ${r.non2xx + r.badBodies} FAILED` : ""}` +
      `${row.runtime ? `   │ ${formatRuntimeWindow(row.runtime)}` : ""}`);
  }
  return lines;
}
