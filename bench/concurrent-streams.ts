/**
 * Concurrent slow streams through one Switchyard: N SSE streams on /v1 opened at once, each one
 * ~5 s long with a handful of chunks from the simulator, counted as completed (every chunk and
 * `[DONE]`) or failed (by reason), with the gateway's resident memory sampled throughout.
 *
 *   npm run -s build && node dist/bench/concurrent-streams.js
 *   BENCH_CONCURRENT_STREAMS=5000 (default)  BENCH_STREAM_SECONDS=5  BENCH_UPSTREAM_HTTP2=1 (simulator over h2c)
 *   BENCH_HEAP_GROWTH_PERCENT (the gateway's server.heapGrowthPercent; 0: V8's own)
 *   BENCH_GATEWAY_NODE_ARGS (node flags for the gateway alone)  DATABASE_URL as for npm run bench
 *
 * Each stream holds a socket on each side of the gateway (over HTTP/1.1; over h2c a hundred upstream
 * streams share one), so the gateway needs about 2×N file descriptors (N over h2c) and this process N:
 * raise `ulimit -n` first (the run says when it is too low).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Agent } from "undici";
import { openBenchDatabase, type BenchDatabase } from "./bench-database.js";
import { stopAllChildren } from "./spawn-child.js";
import { benchGatewayConfig, spawnGateway } from "./spawn-gateway.js";
import { spawnSimulator } from "./spawn-simulator.js";

const TOKENS = 8;
/** Half a second to the first token, the rest paced so the whole stream takes `seconds`. */
const slowProfile = (seconds: number) => ({ firstTokenMs: 500, tokensPerSecond: TOKENS / Math.max(0.1, seconds - 0.5), outputTokens: TOKENS });

const STREAM_BODY = JSON.stringify({
  model: "bench",
  messages: [{ role: "user", content: "Tell the benchmark a slow story" }],
  stream: true,
});

/** The bench config with its one deployment on the slow profile (over h2c when the simulator speaks it). */
const slowConfig = (http2: boolean, heapGrowthPercent: number | undefined) => (simulatorUrl: string, database: Parameters<typeof benchGatewayConfig>[1]): string => {
  let config = benchGatewayConfig(`${simulatorUrl}/p/slow`, database);
  if (http2) config = config.replace("        model: gpt-4o-mini\n", "        model: gpt-4o-mini\n        http2: true\n");
  if (heapGrowthPercent !== undefined) config = config.replace("server:\n", `server:\n  heapGrowthPercent: ${heapGrowthPercent}\n`);
  return config;
};

/** Kilobytes from /proc/<pid>/status (VmRSS now, VmHWM the peak so far). */
function procStatusKb(pid: number | "self", field: "VmRSS" | "VmHWM"): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) : Number.NaN;
}

function openFileLimit(): number {
  const line = readFileSync("/proc/self/limits", "utf8").split("\n").find((l) => l.startsWith("Max open files"));
  return Number(line?.split(/\s+/)[3] ?? Number.NaN);
}

/** Streams whose answer has begun and not ended, as the client sees them, and the most at once. */
const open = { now: 0, peak: 0 };

async function oneStream(agent: Agent, url: string): Promise<string | undefined> {
  let counted = false;
  try {
    const response = await agent.request({
      origin: url,
      path: "/v1/chat/completions",
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer bench" },
      body: STREAM_BODY,
    });
    counted = true;
    open.peak = Math.max(open.peak, ++open.now);
    const text = await response.body.text();
    if (response.statusCode !== 200) return `HTTP ${response.statusCode}: ${errorMessage(text)}`;
    if (!text.includes("data: [DONE]")) return "stream ended without [DONE]";
    if (text.includes('"error"')) return `error event: ${errorMessage(text.slice(text.indexOf('{"error"')))}`;
    return undefined;
  } catch (error) {
    return error instanceof Error ? `${(error as { code?: string }).code ?? error.name}: ${error.message}` : String(error);
  } finally {
    if (counted) open.now--;
  }
}

async function scrapeHeap(agent: Agent, url: string): Promise<{ heapUsed: number; heapTotal: number; external: number }> {
  const response = await agent.request({ origin: url, path: "/metrics", method: "GET" });
  const text = await response.body.text();
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)`, "m").exec(text)?.[1] ?? 0);
  return { heapUsed: value("nodejs_heap_size_used_bytes"), heapTotal: value("nodejs_heap_size_total_bytes"), external: value("nodejs_external_memory_bytes") };
}

function errorMessage(text: string): string {
  try {
    const parsed = JSON.parse(text.split("\n")[0]!) as { error?: { message?: string; type?: string } };
    return `${parsed.error?.type ?? "?"}: ${parsed.error?.message ?? text.slice(0, 200)}`.slice(0, 200);
  } catch {
    return text.slice(0, 200);
  }
}

export interface ConcurrentStreamsOptions {
  root: string;
  tempDir: string;
  database: BenchDatabase;
  streams: number;
  seconds: number;
  /** The gateway reaches the simulator over h2c (`http2: true` on the deployment) instead of HTTP/1.1. */
  http2?: boolean;
  /** server.heapGrowthPercent of the gateway (0: V8's own heap growth); absent: the config's default. */
  heapGrowthPercent?: number;
  log(line: string): void;
}

export interface ConcurrentStreamsResult {
  streams: number;
  upstream: "HTTP/1.1" | "h2c";
  /** The most streams answering at once (headers received, body not ended), as the client saw them. */
  peakOpen: number;
  completed: number;
  failed: number;
  wallSeconds: number;
  failures: Array<{ reason: string; count: number }>;
  idleMb: number;
  peakMb: number;
  /** Peak RSS over idle, per stream. */
  perStreamKb: number;
  heapPeakMb: { used: number; total: number; external: number };
}

/** `streams` slow /v1 streams at once through a gateway of their own, with its memory sampled throughout. */
export async function measureConcurrentStreams(options: ConcurrentStreamsOptions): Promise<ConcurrentStreamsResult> {
  const { root, tempDir, database, streams, seconds, log } = options;
  const http2 = options.http2 === true;
  const limit = openFileLimit();
  // Over h2c, a hundred upstream streams share a socket.
  const descriptors = (http2 ? Math.ceil(streams * 1.01) : 2 * streams) + 1024;
  if (limit < descriptors) log(`warning: ulimit -n is ${limit}; the gateway needs about ${descriptors} descriptors for ${streams} streams`);
  const simulator = await spawnSimulator({ root, tempDir, profiles: { slow: slowProfile(seconds) }, http2 });
  const gateway = await spawnGateway({ root, tempDir, simulatorUrl: simulator.url, database, config: slowConfig(http2, options.heapGrowthPercent) });
  const agent = new Agent({ connections: null, pipelining: 1, headersTimeout: 0, bodyTimeout: 0, connectTimeout: 60_000 });
  try {
    // A few streams first, so the idle figure includes what the first call loads (adapters, JIT, pools).
    await Promise.all(Array.from({ length: 10 }, () => oneStream(agent, gateway.url)));
    const idleKb = procStatusKb(gateway.pid, "VmRSS");
    let peakKb = idleKb;
    const sampler = setInterval(() => {
      peakKb = Math.max(peakKb, procStatusKb(gateway.pid, "VmRSS"));
    }, 100);
    // Where the memory is: the gateway's own heap and off-heap figures, from /metrics once a second.
    const heapPeak = { heapUsed: 0, heapTotal: 0, external: 0 };
    let scraping = false;
    const scraper = setInterval(() => {
      if (scraping) return;
      scraping = true;
      void scrapeHeap(agent, gateway.url)
        .then((heap) => {
          for (const k of Object.keys(heapPeak) as Array<keyof typeof heapPeak>) heapPeak[k] = Math.max(heapPeak[k], heap[k]);
        })
        .catch(() => undefined)
        .finally(() => (scraping = false));
    }, 1000);
    log(`Concurrent streams: ${streams} at once, each ~${seconds} s (${TOKENS} chunks), /v1 → simulator over ${http2 ? "h2c" : "HTTP/1.1"}…`);
    open.now = 0;
    open.peak = 0;
    const started = performance.now();
    const outcomes = await Promise.all(Array.from({ length: streams }, () => oneStream(agent, gateway.url)));
    const wallSeconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    clearInterval(scraper);
    peakKb = Math.max(peakKb, procStatusKb(gateway.pid, "VmRSS"), procStatusKb(gateway.pid, "VmHWM"));
    const counts = new Map<string, number>();
    for (const outcome of outcomes) if (outcome !== undefined) counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
    const failed = outcomes.filter((o) => o !== undefined).length;
    const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
    return {
      streams,
      upstream: http2 ? "h2c" : "HTTP/1.1",
      peakOpen: open.peak,
      completed: streams - failed,
      failed,
      wallSeconds,
      failures: [...counts].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([reason, count]) => ({ reason, count })),
      idleMb: Math.round(idleKb / 1024),
      peakMb: Math.round(peakKb / 1024),
      perStreamKb: (peakKb - idleKb) / streams,
      heapPeakMb: { used: mb(heapPeak.heapUsed), total: mb(heapPeak.heapTotal), external: mb(heapPeak.external) },
    };
  } finally {
    await agent.close();
    await gateway.stop();
    await simulator.stop();
  }
}

export function formatConcurrentStreams(r: ConcurrentStreamsResult): string[] {
  return [
    `  ${r.streams} streams (upstream ${r.upstream}): completed ${r.completed}, failed ${r.failed}, in ${r.wallSeconds.toFixed(1)} s, at most ${r.peakOpen} open at once; gateway RSS idle ${r.idleMb} MB, peak ${r.peakMb} MB ` +
      `(${r.perStreamKb.toFixed(1)} kB per stream); heap peaks used ${r.heapPeakMb.used} MB, total ${r.heapPeakMb.total} MB, external ${r.heapPeakMb.external} MB`,
    ...r.failures.map((f) => `    ${f.count} × ${f.reason}`),
  ];
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = fileURLToPath(new URL("../..", import.meta.url));
  const tempDir = mkdtempSync(join(tmpdir(), "switchyard-bench-"));
  const database = await openBenchDatabase({ ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {}), tempDir });
  try {
    const result = await measureConcurrentStreams({
      root,
      tempDir,
      database,
      streams: Number(process.env.BENCH_CONCURRENT_STREAMS ?? 5000),
      seconds: Number(process.env.BENCH_STREAM_SECONDS ?? 5),
      http2: process.env.BENCH_UPSTREAM_HTTP2 === "1",
      ...(process.env.BENCH_HEAP_GROWTH_PERCENT ? { heapGrowthPercent: Number(process.env.BENCH_HEAP_GROWTH_PERCENT) } : {}),
      log: (line) => console.log(line),
    });
    for (const line of formatConcurrentStreams(result)) console.log(line);
  } finally {
    await stopAllChildren();
    await database.drop();
    rmSync(tempDir, { recursive: true, force: true });
  }
}
