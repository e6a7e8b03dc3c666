/**
 * Concurrent slow streams through one Switchyard: N SSE streams on /v1 opened at once, each one
 * ~5 s long with a handful of chunks from the simulator, counted as completed (every chunk and
 * `[DONE]`) or failed (by reason), with the gateway's resident memory sampled throughout.
 *
 *   npm run -s build && node dist/bench/concurrent-streams.js
 *   BENCH_CONCURRENT_STREAMS=5000 (default)  BENCH_STREAM_SECONDS=5  DATABASE_URL as for npm run bench
 *
 * Each stream holds a socket on each side of the gateway, so the gateway needs about 2×N file
 * descriptors and this process N: raise `ulimit -n` first (the run says when it is too low).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Agent } from "undici";
import { openBenchDatabase } from "./bench-database.js";
import { stopAllChildren } from "./spawn-child.js";
import { benchGatewayConfig, spawnGateway } from "./spawn-gateway.js";
import { spawnSimulator } from "./spawn-simulator.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const streams = Number(process.env.BENCH_CONCURRENT_STREAMS ?? 5000);
const seconds = Number(process.env.BENCH_STREAM_SECONDS ?? 5);
const TOKENS = 8;
// Half a second to the first token, the rest paced so the whole stream takes `seconds`.
const SLOW_PROFILE = { firstTokenMs: 500, tokensPerSecond: TOKENS / Math.max(0.1, seconds - 0.5), outputTokens: TOKENS };

const STREAM_BODY = JSON.stringify({
  model: "bench",
  messages: [{ role: "user", content: "Tell the benchmark a slow story" }],
  stream: true,
});

/** The bench config with its one deployment on the slow profile. */
const slowConfig = (simulatorUrl: string, database: Parameters<typeof benchGatewayConfig>[1]): string =>
  benchGatewayConfig(`${simulatorUrl}/p/slow`, database);

/** Kilobytes from /proc/<pid>/status (VmRSS now, VmHWM the peak so far). */
function procStatusKb(pid: number | "self", field: "VmRSS" | "VmHWM"): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) : Number.NaN;
}

function openFileLimit(): number {
  const line = readFileSync("/proc/self/limits", "utf8").split("\n").find((l) => l.startsWith("Max open files"));
  return Number(line?.split(/\s+/)[3] ?? Number.NaN);
}

async function oneStream(agent: Agent, url: string): Promise<string | undefined> {
  try {
    const response = await agent.request({
      origin: url,
      path: "/v1/chat/completions",
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer bench" },
      body: STREAM_BODY,
    });
    const text = await response.body.text();
    if (response.statusCode !== 200) return `HTTP ${response.statusCode}: ${errorMessage(text)}`;
    if (!text.includes("data: [DONE]")) return "stream ended without [DONE]";
    if (text.includes('"error"')) return `error event: ${errorMessage(text.slice(text.indexOf('{"error"')))}`;
    return undefined;
  } catch (error) {
    return error instanceof Error ? `${(error as { code?: string }).code ?? error.name}: ${error.message}` : String(error);
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

const limit = openFileLimit();
if (limit < 2 * streams + 1024) {
  console.log(`warning: ulimit -n is ${limit}; the gateway needs about ${2 * streams + 1024} descriptors for ${streams} streams`);
}
const tempDir = mkdtempSync(join(tmpdir(), "switchyard-bench-"));
const database = await openBenchDatabase({ ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {}), tempDir });
try {
  const simulator = await spawnSimulator({ root, tempDir, profiles: { slow: SLOW_PROFILE } });
  const gateway = await spawnGateway({ root, tempDir, simulatorUrl: simulator.url, database, config: slowConfig });
  const agent = new Agent({ connections: null, pipelining: 1, headersTimeout: 0, bodyTimeout: 0, connectTimeout: 60_000 });
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

  console.log(`Concurrent streams: ${streams} at once, each ~${seconds} s (${TOKENS} chunks), /v1 → simulator…`);
  const started = performance.now();
  const outcomes = await Promise.all(Array.from({ length: streams }, () => oneStream(agent, gateway.url)));
  const wallS = (performance.now() - started) / 1000;
  clearInterval(sampler);
  clearInterval(scraper);
  peakKb = Math.max(peakKb, procStatusKb(gateway.pid, "VmRSS"));

  const failures = new Map<string, number>();
  for (const outcome of outcomes) if (outcome !== undefined) failures.set(outcome, (failures.get(outcome) ?? 0) + 1);
  const failed = outcomes.filter((o) => o !== undefined).length;
  const mb = (kb: number) => (kb / 1024).toFixed(0);
  console.log(`  completed ${streams - failed}, failed ${failed}, in ${wallS.toFixed(1)} s`);
  for (const [reason, count] of [...failures].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log(`    ${count} × ${reason}`);
  console.log(`  gateway RSS: idle ${mb(idleKb)} MB, peak ${mb(peakKb)} MB (sampled every 100 ms; VmHWM ${mb(procStatusKb(gateway.pid, "VmHWM"))} MB)`);
  console.log(`  gateway heap peaks (from /metrics): used ${(heapPeak.heapUsed / 2 ** 20).toFixed(0)} MB, total ${(heapPeak.heapTotal / 2 ** 20).toFixed(0)} MB, external ${(heapPeak.external / 2 ** 20).toFixed(0)} MB`);
  console.log(`  per stream: ${((peakKb - idleKb) / streams).toFixed(1)} kB of gateway RSS`);
  await agent.close();
  await gateway.stop();
  await simulator.stop();
} finally {
  await stopAllChildren();
  await database.drop();
  rmSync(tempDir, { recursive: true, force: true });
}
