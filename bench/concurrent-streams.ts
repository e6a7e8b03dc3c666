/**
 * Concurrent slow streams through one Switchyard: N SSE streams on /v1, all open at once, counted
 * as completed (every chunk and `[DONE]`) or failed (by reason), with the gateway's resident memory
 * sampled throughout. The simulator sends each stream's first token and then holds it
 * (`holdAfterFirstToken`) until every stream is open, however long opening them takes; then it
 * releases them (SIGUSR2) and each sends its other chunks over BENCH_STREAM_SECONDS. The client opens
 * at most 256 streams at a time (a burst of thousands of connects overflows the gateway's accept
 * queue and the kernel retries the dropped SYNs seconds later). Should streams stop opening (they
 * wait for something only the release frees, such as an upstream connection) the hold ends after
 * 8 s without a new one, and the output says how many were open.
 *
 *   npm run -s build && node dist/bench/concurrent-streams.js
 *   BENCH_CONCURRENT_STREAMS=5000 (default; a list, "5000,10000", runs each)  BENCH_STREAM_SECONDS=3
 *   BENCH_UPSTREAM_HTTP2=1 (simulator over h2c)  BENCH_HEAP_GROWTH_PERCENT (server.heapGrowthPercent; 0: V8's own)
 *   BENCH_GATEWAY_NODE_ARGS (node flags for the gateway alone)  DATABASE_URL as for npm run bench
 *
 * Each stream holds a socket on each side of the gateway (over HTTP/1.1; over h2c a hundred upstream
 * streams share one), so the gateway needs about 2×N file descriptors (N over h2c) and this process N;
 * bench/stream-limits.ts checks `ulimit -n` and the loopback ports, the gateway and the simulator are
 * started with a higher `ulimit -n` where that may be done ("raised ulimit -n for the gateway to …"),
 * and the output says which limit still bites.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { OpenStreamTally, perOpenStreamKb } from "./open-stream-tally.js";
import { planStreams, readMachineLimits, readOpenFiles, type StreamPlan } from "./stream-limits.js";
import { parseStreamCounts } from "./bench-settings.js";
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
/** The first token after 100 ms, then held until released; the other chunks paced over `seconds` from the release. */
const slowProfile = (seconds: number) => ({ firstTokenMs: 100, tokensPerSecond: TOKENS / Math.max(0.1, seconds), outputTokens: TOKENS, holdAfterFirstToken: true });
/** Streams being opened (launched, no headers yet) at most at once. */
const LAUNCH_WINDOW = 256;
/** The hold ends when no stream has opened for this long, or after MAX_HOLD_MS in all. */
const STALL_MS = 8_000;
const MAX_HOLD_MS = 240_000;

const STREAM_BODY = JSON.stringify({
  model: "bench",
  messages: [{ role: "user", content: "Tell the benchmark a slow story" }],
  stream: true,
});

/**
 * The bench config with its one deployment on the slow profile (over h2c when the simulator speaks it)
 * and `connections` upstream connections; `warm`, a deployment on the instant default profile, warms
 * the gateway up without being held; room for every stream in server.maxConnections; an attempt
 * timeout longer than any hold.
 */
const slowConfig = (http2: boolean, heapGrowthPercent: number | undefined, connections: number, streams: number) => (simulatorUrl: string, database: Parameters<typeof benchGatewayConfig>[1]): string => {
  let config = benchGatewayConfig(`${simulatorUrl}/p/slow`, database);
  config = config.replace("        model: gpt-4o-mini\n", `        model: gpt-4o-mini\n        connections: ${connections}\n${http2 ? "        http2: true\n" : ""}`);
  config = config.replace("router:\n", ["  - name: warm", "    deployments:", "      - id: warm-openai", "        provider: openai",
    `        baseUrl: ${JSON.stringify(`${simulatorUrl}/v1`)}`, "        apiKey: bench", "        model: gpt-4o-mini", "router:", `  timeoutMs: ${MAX_HOLD_MS + 60_000}`, ""].join("\n"));
  config = config.replace("server:\n", `server:\n  maxConnections: ${streams + 1024}\n`);
  if (heapGrowthPercent !== undefined) config = config.replace("server:\n", `server:\n  heapGrowthPercent: ${heapGrowthPercent}\n`);
  return config;
};

/** Kilobytes from /proc/<pid>/status (VmRSS now, VmHWM the peak so far). */
function procStatusKb(pid: number | "self", field: "VmRSS" | "VmHWM"): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) : Number.NaN;
}

const WARM_BODY = STREAM_BODY.replace('"model":"bench"', '"model":"warm"');

async function oneStream(agent: Agent, url: string, tally?: OpenStreamTally, body = STREAM_BODY, onOpen?: () => void): Promise<string | undefined> {
  let counted = false;
  try {
    const response = await agent.request({
      origin: url,
      path: "/v1/chat/completions",
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer bench" },
      body,
    });
    counted = true;
    tally?.open(performance.now());
    onOpen?.();
    const text = await response.body.text();
    if (response.statusCode !== 200) return `HTTP ${response.statusCode}: ${errorMessage(text)}`;
    if (!text.includes("data: [DONE]")) return "stream ended without [DONE]";
    if (text.includes('"error"')) return `error event: ${errorMessage(text.slice(text.indexOf('{"error"')))}`;
    return undefined;
  } catch (error) {
    return error instanceof Error ? `${(error as { code?: string }).code ?? error.name}: ${error.message}` : String(error);
  } finally {
    tally?.settle(counted);
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
  /** The build whose simulator serves the streams (default: root); the hold needs this one's simulator. */
  simulatorRoot?: string;
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
  /** Peak RSS over idle, per stream of the run. */
  perStreamKb: number;
  /** Peak RSS over idle, per stream open at once at most: (peak − idle) / peakOpen. */
  perOpenStreamKb: number;
  heapPeakMb: { used: number; total: number; external: number };
  /** When the held streams were released: why, after how long, with how many open and the RSS then. */
  release: { reason: "all open" | "stalled" | "too long" | "never"; afterSeconds: number; openAtRelease: number; rssMb: number };
  /** The descriptors, ports and connections of the run, and the limits that bit (bench/stream-limits.ts). */
  plan: StreamPlan;
}

/** `streams` slow /v1 streams held open at once through a gateway of their own, with its memory sampled throughout. */
export async function measureConcurrentStreams(options: ConcurrentStreamsOptions): Promise<ConcurrentStreamsResult> {
  const { root, tempDir, database, streams, seconds, log } = options;
  const http2 = options.http2 === true;
  const limits = readMachineLimits();
  const plan = planStreams(streams, http2, limits);
  for (const line of plan.limitsBiting) log(`  LIMIT: ${line}`);
  const raise = (openFiles: number) => (openFiles > limits.openFiles ? { openFiles } : {});
  const simulator = await spawnSimulator({ root: options.simulatorRoot ?? root, tempDir, profiles: { slow: slowProfile(seconds) }, http2, ...raise(plan.simulatorOpenFiles) });
  const gateway = await spawnGateway({ root, tempDir, simulatorUrl: simulator.url, database, config: slowConfig(http2, options.heapGrowthPercent, plan.upstreamConnections, streams), ...raise(plan.gatewayOpenFiles) });
  // As the kernel has it for each process (the ulimit line of its start must have held, or it would not have started).
  for (const [name, pid] of [["gateway", gateway.pid], ["simulator", simulator.pid]] as const) {
    const { soft } = readOpenFiles(pid);
    if (soft > limits.openFiles) log(`  raised ulimit -n for the ${name} to ${soft} (was ${limits.openFiles}, hard ${limits.openFilesHard})`);
  }
  const agent = new Agent({ connections: null, pipelining: 1, headersTimeout: 0, bodyTimeout: 0, connectTimeout: 60_000 });
  try {
    // A few streams first (on the instant deployment, never held), so the idle figure includes what the first call loads (adapters, JIT, pools).
    await Promise.all(Array.from({ length: 10 }, () => oneStream(agent, gateway.url, undefined, WARM_BODY)));
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
    log(`Concurrent streams: ${streams}, held open at once after their first token, then ${TOKENS} chunks over ~${seconds} s; /v1 → simulator over ${http2 ? "h2c" : "HTTP/1.1"}; ${plan.summary}…`);
    const tally = new OpenStreamTally(streams);
    const started = performance.now();
    let release: ConcurrentStreamsResult["release"] = { reason: "never", afterSeconds: Number.NaN, openAtRelease: 0, rssMb: Number.NaN };
    const watcher = setInterval(() => {
      const now = performance.now();
      const reason = tally.releaseReason(now, started, STALL_MS, MAX_HOLD_MS);
      if (reason === undefined) return;
      clearInterval(watcher);
      process.kill(simulator.pid, "SIGUSR2");
      release = { reason, afterSeconds: (now - started) / 1000, openAtRelease: tally.now, rssMb: Math.round(procStatusKb(gateway.pid, "VmRSS") / 1024) };
      log(`  released after ${release.afterSeconds.toFixed(1)} s (${reason}): ${tally.now} open, ${tally.settled} ended, ${tally.opened} opened so far; RSS ${release.rssMb} MB`);
    }, 50);
    const outcomes: Array<Promise<string | undefined>> = [];
    // At most LAUNCH_WINDOW streams being opened at a time: launched, neither open nor ended.
    await new Promise<void>((resolve) => {
      const pump = (): void => {
        while (outcomes.length < streams && outcomes.length - tally.opened - tally.unopenedSettled < LAUNCH_WINDOW) {
          outcomes.push(oneStream(agent, gateway.url, tally, STREAM_BODY, pump).finally(pump));
        }
        if (outcomes.length === streams) resolve();
      };
      pump();
    });
    const settled = await Promise.all(outcomes);
    clearInterval(watcher);
    const wallSeconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    clearInterval(scraper);
    peakKb = Math.max(peakKb, procStatusKb(gateway.pid, "VmRSS"), procStatusKb(gateway.pid, "VmHWM"));
    const counts = new Map<string, number>();
    for (const outcome of settled) if (outcome !== undefined) counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
    const failed = settled.filter((o) => o !== undefined).length;
    const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
    return {
      streams,
      upstream: http2 ? "h2c" : "HTTP/1.1",
      peakOpen: tally.peak,
      completed: streams - failed,
      failed,
      wallSeconds,
      failures: [...counts].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([reason, count]) => ({ reason, count })),
      idleMb: Math.round(idleKb / 1024),
      peakMb: Math.round(peakKb / 1024),
      perStreamKb: (peakKb - idleKb) / streams,
      perOpenStreamKb: perOpenStreamKb(idleKb, peakKb, tally.peak),
      heapPeakMb: { used: mb(heapPeak.heapUsed), total: mb(heapPeak.heapTotal), external: mb(heapPeak.external) },
      release,
      plan,
    };
  } finally {
    await agent.close();
    await gateway.stop();
    await simulator.stop();
  }
}

export function formatConcurrentStreams(r: ConcurrentStreamsResult): string[] {
  const all = r.peakOpen === r.streams ? "all of them" : `NOT all ${r.streams}`;
  const held = r.release.reason === "all open" ? "held until all were open"
    : r.release.reason === "never" ? "never released"
    : `released after ${r.release.afterSeconds.toFixed(1)} s ${r.release.reason === "stalled" ? `with no new stream for ${STALL_MS / 1000} s` : "(hold too long)"}, ${r.release.openAtRelease} open then`;
  return [
    `  ${r.streams} streams (upstream ${r.upstream}): completed ${r.completed}, failed ${r.failed}, in ${r.wallSeconds.toFixed(1)} s; at most ${r.peakOpen} open at once (${all}; ${held}); ` +
      `gateway RSS idle ${r.idleMb} MB, peak ${r.peakMb} MB, ${Number.isFinite(r.perOpenStreamKb) ? r.perOpenStreamKb.toFixed(1) : "n/a"} kB per open stream ((peak − idle) / ${r.peakOpen}); ` +
      `heap peaks used ${r.heapPeakMb.used} MB, total ${r.heapPeakMb.total} MB, external ${r.heapPeakMb.external} MB`,
    ...r.plan.limitsBiting.map((line) => `    LIMIT: ${line}`),
    ...r.failures.map((f) => `    ${f.count} × ${f.reason}`),
  ];
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = fileURLToPath(new URL("../..", import.meta.url));
  const tempDir = mkdtempSync(join(tmpdir(), "switchyard-bench-"));
  const database = await openBenchDatabase({ ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {}), tempDir });
  try {
    for (const streams of parseStreamCounts(process.env.BENCH_CONCURRENT_STREAMS, [5000])) {
      const result = await measureConcurrentStreams({
        root,
        tempDir,
        database,
        streams,
        seconds: Number(process.env.BENCH_STREAM_SECONDS ?? 3),
        http2: process.env.BENCH_UPSTREAM_HTTP2 === "1",
        ...(process.env.BENCH_HEAP_GROWTH_PERCENT ? { heapGrowthPercent: Number(process.env.BENCH_HEAP_GROWTH_PERCENT) } : {}),
        log: (line) => console.log(line),
      });
      for (const line of formatConcurrentStreams(result)) console.log(line);
    }
  } finally {
    await stopAllChildren();
    await database.drop();
    rmSync(tempDir, { recursive: true, force: true });
  }
}
