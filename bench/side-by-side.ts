import { Pool } from "undici";
import type { ChildHandle } from "./spawn-child.js";
import { COMPLETE_MUTATION_BODY, OPENAI_CHAT_BODY, isChatCompletion, isCompleteResult, runHttpLoad, type HttpLoadResult } from "./http-mutation-bench.js";
import { httpTask, runOpenLoop, sseTtftTask, wsTtftTask, type OpenLoopResult, type OpenLoopTask } from "./open-loop.js";
import { formatRuntimeWindow, runtimeWindow, scrapeRuntime, type RuntimeWindow } from "./runtime-window.js";
import { connectWsClients } from "./ws-ttft-bench.js";

export interface SideBySideOptions {
  upstream: ChildHandle;
  floor: ChildHandle;
  /** The gateway under test, and optionally an earlier build measured back to back with it. */
  gateways: Array<{ label: string; handle: ChildHandle }>;
  rate: number;
  streamRate: number;
  seconds: number;
  warmupSeconds: number;
  closedLoopSeconds: number;
  closedLoopConnections: number;
  log(line?: string): void;
}

export interface Row {
  label: string;
  kind: "http" | "stream";
  result: OpenLoopResult;
  runtime?: RuntimeWindow;
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

  const measure = async (label: string, kind: Row["kind"], rate: number, task: OpenLoopTask, gatewayUrl?: string): Promise<void> => {
    const warm = await runOpenLoop(rate, options.warmupSeconds, task);
    const before = gatewayUrl ? await scrapeRuntime(gatewayUrl) : undefined;
    const result = await runOpenLoop(rate, options.seconds, task);
    const runtime = gatewayUrl && before ? runtimeWindow(before, await scrapeRuntime(gatewayUrl)) : undefined;
    if (gatewayUrl) {
      gatewayCalls.ok += warm.ok + result.ok;
      gatewayCalls.sent += warm.sent + result.sent;
    }
    rows.push({ label, kind, result, ...(runtime ? { runtime } : {}) });
    log(`  ${label}: ${result.ok}/${result.sent} ok, p50 ${result.latencyMs.p50.toFixed(3)} p99 ${result.latencyMs.p99.toFixed(3)} p99.9 ${result.latencyMs.p999.toFixed(3)} ms` +
      `${runtime ? `; ${formatRuntimeWindow(runtime)}` : ""}${result.firstFailure ? `; first failure: ${result.firstFailure}` : ""}`);
  };

  try {
    log(`Open loop at ${options.rate} req/s (streams ${options.streamRate}/s): warm-up ${options.warmupSeconds} s, then ${options.seconds} s, each…`);
    await measure("upstream", "http", options.rate, httpTask(upstreamPool, "/v1/chat/completions", OPENAI_CHAT_BODY, isChatCompletion));
    await measure("floor", "http", options.rate, httpTask(floorPool, "/v1/chat/completions", OPENAI_CHAT_BODY, isChatCompletion));
    for (const g of gateways) await measure(`/v1${suffix(g.label)}`, "http", options.rate, httpTask(g.pool, "/v1/chat/completions", V1_BODY, isChatCompletion), g.handle.url);
    for (const g of gateways) await measure(`GraphQL complete${suffix(g.label)}`, "http", options.rate, httpTask(g.pool, "/graphql", COMPLETE_MUTATION_BODY, isCompleteResult), g.handle.url);
    await measure("upstream SSE TTFT", "stream", options.streamRate, sseTtftTask(upstreamPool, "/v1/chat/completions", STREAM_BODY("gpt-4o-mini")));
    await measure("floor SSE TTFT", "stream", options.streamRate, sseTtftTask(floorPool, "/v1/chat/completions", STREAM_BODY("gpt-4o-mini")));
    for (const g of gateways) await measure(`/v1 SSE TTFT${suffix(g.label)}`, "stream", options.streamRate, sseTtftTask(g.pool, "/v1/chat/completions", STREAM_BODY("bench")), g.handle.url);
    for (const g of gateways) await measure(`graphql-ws TTFT${suffix(g.label)}`, "stream", options.streamRate, wsTtftTask(g.ws), g.handle.url);

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
    for (const g of gateways) await closedRun(`/v1${suffix(g.label)}`, g.handle.url, "/v1/chat/completions", V1_BODY, isChatCompletion, true);
    for (const g of gateways) await closedRun(`GraphQL complete${suffix(g.label)}`, g.handle.url, "/graphql", COMPLETE_MUTATION_BODY, isCompleteResult, true);
    return { rows, closed, gatewayCalls };
  } finally {
    await Promise.all(gateways.flatMap((g) => g.ws.map((client) => client.dispose())));
    await Promise.all(pools.map((p) => p.close()));
  }
}

const suffix = (label: string): string => (label === "" ? "" : ` (${label})`);

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
        `${"".padEnd(15)}│ ${row.runtime ? formatRuntimeWindow(row.runtime) : ""}${fails}`);
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
