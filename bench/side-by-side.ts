import type { ChildHandle } from "./spawn-child.js";
import { formatHarness, openHarnessWindow, type HarnessWindow } from "./harness-window.js";
import { COMPLETE_MUTATION_BODY, OPENAI_CHAT_BODY } from "./http-mutation-bench.js";
import type { ClosedLoopResult, HttpTarget, LoadGenerator, OpenLoopTarget } from "./load-generator.js";
import type { OpenLoopResult } from "./open-loop.js";
import { cpuMicrosByThread } from "./process-cpu.js";
import { formatRuntimeWindow, runtimeWindow, scrapeRuntime, type RuntimeWindow } from "./runtime-window.js";
import type { OwnRuntime } from "./watch-own-runtime.js";

export interface SideBySideOptions {
  upstream: ChildHandle;
  floor: ChildHandle;
  /** Runs every open and closed loop, in its own process. */
  generator: LoadGenerator;
  /** The gateway under test, and optionally an earlier build measured back to back with it. */
  gateways: Array<{ label: string; handle: ChildHandle }>;
  rate: number;
  streamRate: number;
  seconds: number;
  warmupSeconds: number;
  closedLoopSeconds: number;
  closedLoopConnections: number;
  /** Requests sent through every door of each gateway before any door is measured (0: none). */
  gatewayWarmupRequests: number;
  /** Which HTTP door is measured first, open and closed loop (BENCH_DOOR_ORDER). */
  doorOrder: "v1-first" | "graphql-first";
  log(line?: string): void;
}

export interface Row {
  label: string;
  kind: "http" | "stream";
  result: OpenLoopResult;
  /** The CPU of the generator, the simulator, the proxy measured and the whole machine during the run. */
  harness: HarnessWindow;
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
  /** Run in the load generator's process (autocannon there), with its own loop delay and GC pauses. */
  result: ClosedLoopResult;
  /** The CPU of the generator, the simulator, the proxy measured and the whole machine during the run. */
  harness: HarnessWindow;
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
 * /metrics around each of its runs; the generator's own, and what each process and the machine spent
 * in CPU, are measured for every open-loop run alike, floor and gateways measured the same way.
 */
export async function runSideBySide(options: SideBySideOptions): Promise<SideBySideResult> {
  const { log, generator } = options;
  const rows: Row[] = [];
  const closed: ClosedRow[] = [];
  const gatewayCalls = { ok: 0, sent: 0, inFlightAtStop: 0 };

  const measure = async (label: string, kind: Row["kind"], rate: number, target: OpenLoopTarget, proxy?: ChildHandle, gatewayUrl?: string): Promise<void> => {
    const warm = await generator.run(rate, options.warmupSeconds, target);
    const before = gatewayUrl ? await scrapeRuntime(gatewayUrl) : undefined;
    // "idle": the bench's other proxies, up but not measured (a gateway's timers still run): interference, not load.
    const idle = [options.floor, ...options.gateways.map((g) => g.handle)].filter((handle) => handle !== proxy).map((handle) => handle.pid);
    const window = openHarnessWindow({ gen: [generator.pid], sim: [options.upstream.pid], ...(proxy ? { proxy: [proxy.pid] } : {}), idle });
    const cpuBefore = gatewayUrl && proxy ? cpuMicrosByThread(proxy.pid) : undefined;
    const result = await generator.run(rate, options.seconds, target);
    const cpuAfter = cpuBefore && proxy ? cpuMicrosByThread(proxy.pid) : undefined;
    const harness = window.stop();
    const runtime = gatewayUrl && before ? runtimeWindow(before, await scrapeRuntime(gatewayUrl)) : undefined;
    const cpu = cpuBefore && cpuAfter ? { mainUsPerCall: (cpuAfter.main - cpuBefore.main) / result.sent, otherUsPerCall: (cpuAfter.other - cpuBefore.other) / result.sent } : undefined;
    if (gatewayUrl) countGatewayCalls(warm, result);
    rows.push({ label, kind, result, harness, ...(runtime ? { runtime } : {}), ...(cpu ? { cpu } : {}) });
    log(`  ${label}: ${result.ok}/${result.sent} ok, p50 ${result.latencyMs.p50.toFixed(3)} p99 ${result.latencyMs.p99.toFixed(3)} p99.9 ${result.latencyMs.p999.toFixed(3)} ms` +
      ` (from schedule p99 ${result.fromScheduleMs.p99.toFixed(3)}); ${formatHarness(result, harness)}` +
      `${runtime ? `; gateway ${formatRuntimeWindow(runtime)}` : ""}${cpu ? `; ${formatGatewayCpu(cpu)}` : ""}${result.firstFailure ? `; first failure: ${result.firstFailure}` : ""}`);
  };
  const countGatewayCalls = (...runs: OpenLoopResult[]): void => {
    for (const run of runs) {
      gatewayCalls.ok += run.ok;
      gatewayCalls.sent += run.sent;
    }
  };
  const http = (url: string, path: string, body: string, expect: "chat" | "complete"): HttpTarget => ({ door: "http", url, path, body, expect });
  const sse = (url: string, model: string): OpenLoopTarget => ({ door: "sse", url, path: "/v1/chat/completions", body: STREAM_BODY(model) });

  log(`Open loop at ${options.rate} req/s (streams ${options.streamRate}/s): warm-up ${options.warmupSeconds} s, then ${options.seconds} s, each…`);
  type Gateway = SideBySideOptions["gateways"][number];
  const doors = (g: Gateway) => {
    const v1 = { label: DOOR_LABELS.v1, kind: "http" as const, rate: options.rate, target: http(g.handle.url, "/v1/chat/completions", V1_BODY, "chat") };
    const graphql = { label: DOOR_LABELS.graphql, kind: "http" as const, rate: options.rate, target: http(g.handle.url, "/graphql", COMPLETE_MUTATION_BODY, "complete") };
    return [
      ...(options.doorOrder === "graphql-first" ? [graphql, v1] : [v1, graphql]),
      { label: DOOR_LABELS.sse, kind: "stream" as const, rate: options.streamRate, target: sse(g.handle.url, "bench") },
      { label: DOOR_LABELS.ws, kind: "stream" as const, rate: options.streamRate, target: { door: "ws", url: g.handle.url } as OpenLoopTarget },
    ];
  };
  const measureDoor = async (index: number, g: Gateway): Promise<void> => {
    const door = doors(g)[index]!;
    await measure(`${door.label}${suffix(g.label)}`, door.kind, door.rate, door.target, g.handle, g.handle.url);
  };
  await measure("upstream", "http", options.rate, http(options.upstream.url, "/v1/chat/completions", OPENAI_CHAT_BODY, "chat"));
  await measure("floor", "http", options.rate, http(options.floor.url, "/v1/chat/completions", OPENAI_CHAT_BODY, "chat"), options.floor);
  // A fresh gateway's first measured window carried its start-up (compiling, heap growth): whichever door
  // went first read worse. Every door of every gateway is warmed alike before any is measured.
  if (options.gatewayWarmupRequests > 0) {
    log(`  (each gateway warms up through every door, ${options.gatewayWarmupRequests} requests each, before any is measured)`);
    for (const g of options.gateways) {
      for (const door of doors(g)) countGatewayCalls(await generator.run(door.rate, options.gatewayWarmupRequests / door.rate, door.target));
    }
  }
  for (const index of [0, 1]) for (const g of options.gateways) await measureDoor(index, g);
  await measure("upstream SSE TTFT", "stream", options.streamRate, sse(options.upstream.url, "gpt-4o-mini"));
  await measure("floor SSE TTFT", "stream", options.streamRate, sse(options.floor.url, "gpt-4o-mini"), options.floor);
  for (const index of [2, 3]) for (const g of options.gateways) await measureDoor(index, g);

  log(`Closed loop: ${options.closedLoopConnections} connections, warm-up 1 s, then ${options.closedLoopSeconds} s, each…`);
  const closedRun = async (label: string, target: HttpTarget, proxy: ChildHandle, gateway: boolean): Promise<void> => {
    const warm = await generator.closedLoop(options.closedLoopConnections, 1, target);
    const before = gateway ? await scrapeRuntime(target.url) : undefined;
    const idle = [options.floor, ...options.gateways.map((g) => g.handle)].filter((handle) => handle !== proxy).map((handle) => handle.pid);
    const window = openHarnessWindow({ gen: [generator.pid], sim: [options.upstream.pid], proxy: [proxy.pid], idle });
    const result = await generator.closedLoop(options.closedLoopConnections, options.closedLoopSeconds, target);
    const harness = window.stop();
    const runtime = gateway && before ? runtimeWindow(before, await scrapeRuntime(target.url)) : undefined;
    if (gateway) {
      gatewayCalls.ok += warm.ok + result.ok;
      gatewayCalls.sent += warm.sent + result.sent;
      gatewayCalls.inFlightAtStop += warm.sent - warm.responses + (result.sent - result.responses);
    }
    closed.push({ label, result, harness, ...(runtime ? { runtime } : {}) });
    const g = result.generator;
    log(`  ${label}: ${result.requestsPerSecond.toFixed(0)} req/s, ${closedFailures(result)} failed; gen loop late p99 ${g.loopDelay.p99Ms.toFixed(2)} max ${g.loopDelay.maxMs.toFixed(2)} ms, ` +
      `GC ${g.gc.pauses} max ${g.gc.maxMs.toFixed(2)} ms; CPU ${Object.entries(harness.processCpuPercent).map(([name, pct]) => `${name} ${pct.toFixed(0)}%`).join(" ")}, machine ${harness.machineBusyPercent.toFixed(0)}%` +
      `${runtime ? `; ${formatRuntimeWindow(runtime)}` : ""}${result.firstFailure ? `; first failure: ${result.firstFailure}` : ""}`);
  };
  await closedRun("floor", http(options.floor.url, "/v1/chat/completions", OPENAI_CHAT_BODY, "chat"), options.floor, false);
  const closedV1 = async () => {
    for (const g of options.gateways) await closedRun(`/v1${suffix(g.label)}`, http(g.handle.url, "/v1/chat/completions", V1_BODY, "chat"), g.handle, true);
  };
  const closedGraphQL = async () => {
    for (const g of options.gateways) await closedRun(`GraphQL complete${suffix(g.label)}`, http(g.handle.url, "/graphql", COMPLETE_MUTATION_BODY, "complete"), g.handle, true);
  };
  for (const run of options.doorOrder === "graphql-first" ? [closedGraphQL, closedV1] : [closedV1, closedGraphQL]) await run();
  return { rows, closed, gatewayCalls };
}

/** Closed-loop requests that did not end in a good answer: non-2xx, bad bodies, connection errors and timeouts. */
export const closedFailures = (r: ClosedLoopResult): number => r.non2xx + r.badBodies + r.connectionErrors + r.timeouts;

/** A gateway row's label: the door's, then the build's in brackets unless it is the current build (""). */
export const suffix = (label: string): string => (label === "" ? "" : ` (${label})`);

/** The rows of each gateway door (the closed loop's /v1 and GraphQL rows are named alike). */
export const DOOR_LABELS = { v1: "/v1", graphql: "GraphQL complete", sse: "/v1 SSE TTFT", ws: "graphql-ws TTFT" } as const;

const formatGatewayCpu = (cpu: GatewayCpu): string => `CPU ${cpu.mainUsPerCall.toFixed(0)} + ${cpu.otherUsPerCall.toFixed(0)} µs/call (main + other threads)`;

/** Past any of these, a row's tail says more about the machine or the generator than about the proxy. */
const CONTENDED = { machineBusyPercent: 90, generatorWaitPercent: 5, generatorLateMs: 1 };

export function isContended(row: Row): boolean {
  return row.harness.machineBusyPercent >= CONTENDED.machineBusyPercent ||
    (row.harness.processWaitPercent.gen ?? 0) >= CONTENDED.generatorWaitPercent ||
    row.result.generator.loopDelay.p99Ms >= CONTENDED.generatorLateMs;
}

const HARNESS_HEADER = `${"gen late p99/max".padStart(16)}${"GC n/max".padStart(11)}${"lag p99".padStart(8)}  ${"CPU% gen/sim/proxy/idle/all".padEnd(28)}${"wait% gen/sim/proxy".padEnd(20)}`;

/**
 * The harness beside each row, in the table's columns: how late the generator's own event loop ran
 * (p99/max, ms), its GC pauses (count/longest ms), its launch lag p99 (ms), and CPU % of one core for
 * the generator, simulator, measured proxy and the bench's idle proxies, then the whole machine's busy %
 * (all cores, anyone's), and how long the generator, simulator and proxy were runnable but waiting for
 * a core (% of the run): contention each of them felt.
 */
function formatHarnessColumn(generator: OwnRuntime, launchLagP99Ms: number | undefined, harness: HarnessWindow): string {
  const g = generator;
  const cpu = harness.processCpuPercent;
  const wait = harness.processWaitPercent;
  const pct = (v: number | undefined) => (v === undefined ? "-" : v.toFixed(0));
  return `${`${g.loopDelay.p99Ms.toFixed(2)}/${g.loopDelay.maxMs.toFixed(2)}`.padStart(16)}${`${g.gc.pauses}/${g.gc.maxMs.toFixed(1)}`.padStart(11)}${(launchLagP99Ms === undefined ? "-" : launchLagP99Ms.toFixed(2)).padStart(8)}  ` +
    `${pct(cpu.gen)}/${pct(cpu.sim)}/${pct(cpu.proxy)}/${pct(cpu.idle)}/${harness.machineBusyPercent.toFixed(0)}`.padEnd(28) +
    `${pct(wait.gen)}/${pct(wait.sim)}/${pct(wait.proxy)}`.padEnd(20);
}

/** The side-by-side table: latency added over the upstream, and against the floor; `pinned` labels a BENCH_PIN=1 run. */
export function formatSideBySide(result: SideBySideResult, rate: number, streamRate: number, pinned = false): string[] {
  const lines: string[] = [];
  const placement = pinned ? " — PINNED: generator+simulator CPU 0, proxies CPU 1" : "";
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : "n/a").padStart(9);
  const added = (v: number) => (Number.isFinite(v) ? `${v >= 0 ? "+" : ""}${v.toFixed(3)}` : "n/a").padStart(9);
  const ratio = (a: number, b: number) => (b > 0 && Number.isFinite(a) ? `${(a / b).toFixed(2)}×` : "n/a").padStart(7);
  for (const kind of ["http", "stream"] as const) {
    const rows = result.rows.filter((r) => r.kind === kind);
    const upstream = rows[0];
    const floor = rows[1];
    if (!upstream || !floor) continue;
    lines.push(`${kind === "http" ? `Open loop, ${rate} req/s — ms, whole answer` : `Streams, ${streamRate}/s, 8+ chunks — ms to first token (TTFT)`}${placement}`);
    lines.push(`  ${"".padEnd(30)}${"p50".padStart(9)}${"p99".padStart(9)}${"p99.9".padStart(9)} │${"+p50".padStart(9)}${"+p99".padStart(9)}${"+p99.9".padStart(9)} │ added ÷ floor's added p50/p99/p99.9 │ ${HARNESS_HEADER} │ gateway loop delay, GC`);
    for (const row of rows) {
      const l = row.result.latencyMs;
      const u = upstream.result.latencyMs;
      const fl = floor.result.latencyMs;
      const a = { p50: l.p50 - u.p50, p99: l.p99 - u.p99, p999: l.p999 - u.p999 };
      const fa = { p50: fl.p50 - u.p50, p99: fl.p99 - u.p99, p999: fl.p999 - u.p999 };
      const ratios = row === upstream ? "".padEnd(21) : `${ratio(a.p50, fa.p50)}${ratio(a.p99, fa.p99)}${ratio(a.p999, fa.p999)}`;
      const fails = row.result.failed > 0 ? ` ${row.result.failed} FAILED` : "";
      lines.push(`  ${row.label.padEnd(30)}${f(l.p50)}${f(l.p99)}${f(l.p999)} │${row === upstream ? "".padEnd(27) : `${added(a.p50)}${added(a.p99)}${added(a.p999)}`} │ ${ratios}`.padEnd(0) +
        `${"".padEnd(15)}│ ${formatHarnessColumn(row.result.generator, row.result.launchLagMs.p99, row.harness)} │ ${row.runtime ? formatRuntimeWindow(row.runtime) : ""}${row.cpu ? `; ${formatGatewayCpu(row.cpu)}` : ""}${fails}`);
    }
    const contended = rows.filter(isContended).map((row) => row.label);
    if (contended.length > 0) {
      lines.push(`  CONTENDED (machine ≥ ${CONTENDED.machineBusyPercent}% busy, or the generator waited for a core ≥ ${CONTENDED.generatorWaitPercent}% of the run or ran ` +
        `its loop ≥ ${CONTENDED.generatorLateMs} ms late at p99): ${contended.join(", ")} — their tails are the machine's as much as the proxy's`);
    }
    lines.push("");
  }
  const floorRps = result.closed[0]?.result.requestsPerSecond ?? Number.NaN;
  lines.push(`Closed loop, ${result.closed[0]?.result.connections ?? "?"} connections — req/s (run by the load generator, as the open loops)${placement}`);
  if (result.closed.length > 0) lines.push(`  ${"".padEnd(30)}${"req/s".padStart(9)}  ${"÷ floor".padEnd(32)}│ ${HARNESS_HEADER} │ gateway loop delay, GC`);
  for (const row of result.closed) {
    const r = row.result;
    const failed = closedFailures(r);
    lines.push(`  ${row.label.padEnd(30)}${r.requestsPerSecond.toFixed(0).padStart(9)}  ${`${ratio(r.requestsPerSecond, floorRps)} of the floor${failed > 0 ? `, ${failed} FAILED` : ""}`.padEnd(32)}` +
      `│ ${formatHarnessColumn(r.generator, undefined, row.harness)} │ ${row.runtime ? formatRuntimeWindow(row.runtime) : ""}`);
  }
  return lines;
}
