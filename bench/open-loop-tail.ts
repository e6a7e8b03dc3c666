/**
 * Where the tail comes from: Switchyard under an open loop (one door, a fixed rate), in its own process
 * under --cpu-prof, and what its event loop did meanwhile — the busy stretches (a request that arrives
 * during one waits for the rest of it: their length is the floor of the tail whatever else loads the
 * machine), what each stretch's time went to by part of the gateway (long-tasks.ts), GC pauses by kind
 * (from /metrics) and CPU µs per call. With --compare another build is measured the same way, run for run
 * alternately, so a change is judged back to back; --node-args / --before-node-args set node flags
 * (e.g. V8's young generation) of this build's and the other's gateway, so flags can be compared on one build
 * (`--compare .`).
 *
 * Each fresh gateway is warmed for at least --warmup-requests requests (6,000) and --warmup seconds before
 * its measured run: a fresh process's first thousands of requests carry its compiling and heap growth.
 *
 *   node dist/bench/open-loop-tail.js [--door v1|graphql|sse|ws] [--rate 1000] [--seconds 10] [--warmup 2] [--warmup-requests 6000]
 *     [--rounds 2] [--compare DIR] [--node-args "…"] [--before-node-args "…"] [--top 5] [--profiles DIR]
 *
 * The call log goes to a scratch database on DATABASE_URL's server (else the local one, else PGlite).
 * Wall-clock latency is printed too, but on a shared machine it is noise; the stretch lengths are not.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Client } from "graphql-ws";
import pg from "pg";
import { Pool } from "undici";
import { openBenchDatabase } from "./bench-database.js";
import { COMPLETE_MUTATION_BODY, isChatCompletion, isCompleteResult } from "./http-mutation-bench.js";
import { formatHarness } from "./harness-window.js";
import { summarizeLatencies } from "./latency-stats.js";
import { type CpuProfile, type LongTask, busyStretches, formatLongTask, longest } from "./long-tasks.js";
import { httpTask, runOpenLoop, sseTtftTask, wsTtftTask, type OpenLoopTask } from "./open-loop.js";
import { type RuntimeWindow, runtimeWindow, scrapeRuntime } from "./runtime-window.js";
import { stopAllChildren } from "./spawn-child.js";
import { spawnGateway } from "./spawn-gateway.js";
import { spawnSimulator } from "./spawn-simulator.js";
import { newestCpuProfile } from "./summarize-cpu-profile.js";
import { connectWsClients } from "./ws-ttft-bench.js";
import { cpuMicros } from "./process-cpu.js";

const ownRoot = fileURLToPath(new URL("../..", import.meta.url));
const V1_BODY = JSON.stringify({ model: "bench", messages: [{ role: "user", content: "Say hello to the benchmark" }] });
const STREAM_BODY = JSON.stringify({ model: "bench", messages: [{ role: "user", content: "Tell the benchmark a story" }], stream: true, stream_options: { include_usage: true } });
/** Stretches at least this long are "long" in the per-part table. */
const LONG_MS = 2;

const option = (name: string): string | undefined => {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
};
const words = (text: string | undefined): string[] => (text ?? "").split(" ").filter((word) => word !== "");

interface Variant {
  label: string;
  root: string;
  nodeArgs: string[] | undefined;
}

interface RunResult {
  variant: string;
  ok: number;
  sent: number;
  latency: ReturnType<typeof summarizeLatencies>;
  /** The open loop's own stalls (it runs in this process): generator loop delay, GC, launch lag. */
  harness: string;
  cpuUsPerCall: number;
  runtime: RuntimeWindow;
  stretches: LongTask[];
  windowMs: number;
  /** The gateway's peak resident memory so far (VmHWM), MB. */
  peakRssMb: number;
  /** Transactions the scratch database committed per call (Postgres only). */
  commitsPerCall?: number;
}


const nowUs = (): number => Number(process.hrtime.bigint() / 1000n);
const pct = (sorted: readonly number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;

async function main(): Promise<void> {
  const door = option("door") ?? "v1";
  const rate = Number(option("rate") ?? 1000);
  const seconds = Number(option("seconds") ?? 10);
  const warmup = Math.max(Number(option("warmup") ?? 2), Number(option("warmup-requests") ?? 6000) / rate);
  const rounds = Number(option("rounds") ?? 2);
  const top = Number(option("top") ?? 5);
  const compare = option("compare");
  // Without the options, each gateway gets the flags it ships with (spawn-gateway.ts).
  const flags = (text: string | undefined): string[] | undefined => (text === undefined ? undefined : words(text));
  const variants: Variant[] = [{ label: compare ? "after" : "gateway", root: ownRoot, nodeArgs: flags(option("node-args")) }];
  if (compare) variants.unshift({ label: "before", root: resolve(compare), nodeArgs: flags(option("before-node-args") ?? option("node-args")) });
  const tempDir = mkdtempSync(join(tmpdir(), "switchyard-tail-"));
  const profiles = option("profiles") ?? join(tempDir, "profiles");
  const database = await openBenchDatabase({ ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {}), tempDir });
  const results: RunResult[] = [];
  try {
    const simulator = await spawnSimulator({ root: ownRoot, tempDir });
    for (let round = 0; round < rounds; round++) {
      for (const variant of round % 2 === 0 ? variants : [...variants].reverse()) {
        const profileDir = join(profiles, `${variant.label}-${round + 1}`);
        mkdirSync(profileDir, { recursive: true });
        const startedAt = Date.now();
        const gatewayDir = mkdtempSync(join(tempDir, `${variant.label}-`));
        const gateway = await spawnGateway({ root: variant.root, tempDir: gatewayDir, simulatorUrl: simulator.url, database, cpuProfileDir: profileDir, ...(variant.nodeArgs ? { nodeArgs: variant.nodeArgs } : {}) });
        const pool = new Pool(gateway.url, { connections: 1024, pipelining: 1, headersTimeout: 60_000, bodyTimeout: 60_000 });
        const ws: Client[] = door === "ws" ? await connectWsClients(gateway.url, 20) : [];
        const task: OpenLoopTask =
          door === "graphql" ? httpTask(pool, "/graphql", COMPLETE_MUTATION_BODY, isCompleteResult)
          : door === "sse" ? sseTtftTask(pool, "/v1/chat/completions", STREAM_BODY)
          : door === "ws" ? wsTtftTask(ws)
          : httpTask(pool, "/v1/chat/completions", V1_BODY, isChatCompletion);
        await runOpenLoop(rate, warmup, task);
        const commitsBefore = await commits(database.url);
        const before = await scrapeRuntime(gateway.url);
        const cpuBefore = cpuMicros(gateway.pid);
        const from = nowUs();
        const run = await runOpenLoop(rate, seconds, task);
        // The call log writes after the answers: its last batch belongs to this run.
        await new Promise((done) => setTimeout(done, 300));
        const to = nowUs();
        const cpu = cpuMicros(gateway.pid) - cpuBefore;
        const runtime = runtimeWindow(before, await scrapeRuntime(gateway.url));
        const commitsAfter = await commits(database.url);
        const peakRssMb = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${gateway.pid}/status`, "utf8"))?.[1]) / 1024;
        await Promise.all(ws.map((client) => client.dispose()));
        await pool.close();
        await gateway.stop();
        const file = newestCpuProfile(profileDir, startedAt);
        if (file === undefined) throw new Error(`no CPU profile in ${profileDir}`);
        const stretches = busyStretches(JSON.parse(readFileSync(file, "utf8")) as CpuProfile, from, to);
        const result: RunResult = { variant: variant.label, ok: run.ok, sent: run.sent, latency: run.latencyMs, harness: formatHarness(run), cpuUsPerCall: cpu / run.sent, runtime, stretches, windowMs: (to - from) / 1000, peakRssMb,
          ...(commitsBefore !== undefined && commitsAfter !== undefined ? { commitsPerCall: (commitsAfter - commitsBefore) / run.sent } : {}) };
        results.push(result);
        console.log(`round ${round + 1}, ${variant.label}${variant.nodeArgs ? ` (${variant.nodeArgs.join(" ") || "no flags"})` : ""}: ${describe(result)}`);
        for (const long of longest(stretches, 0, top)) for (const line of formatLongTask(long)) console.log(`    ${line}`);
        console.log(`    busy time by part, all stretches: ${partsOf(stretches, 0)}`);
        console.log(`    busy time by part, stretches ≥ ${LONG_MS} ms: ${partsOf(stretches, LONG_MS)}`);
        console.log(`    busy time by part, stretches ≥ ${5 * LONG_MS} ms: ${partsOf(stretches, 5 * LONG_MS)}`);
        console.log(`    longest stretch each part held most of: ${longestLed(stretches)}`);
      }
    }
    console.log(`\n${door} at ${rate}/s for ${seconds} s, ${rounds} round(s), ${database.label}; per variant, each round:`);
    for (const variant of variants) {
      console.log(`  ${variant.label}${variant.nodeArgs ? ` (${variant.nodeArgs.join(" ") || "no flags"})` : ""}:`);
      for (const result of results.filter((r) => r.variant === variant.label)) console.log(`    ${describe(result)}`);
    }
  } finally {
    await stopAllChildren();
    await database.drop();
    rmSync(tempDir, { recursive: true, force: true });
  }
}

function describe(r: RunResult): string {
  const lengths = r.stretches.map((s) => s.durationMs).sort((a, b) => a - b);
  const busy = lengths.reduce((sum, ms) => sum + ms, 0);
  const inLong = lengths.filter((ms) => ms >= LONG_MS).reduce((sum, ms) => sum + ms, 0);
  const gc = r.runtime.gcByKind.map((k) => `${k.kind} ${k.pauses}/${k.totalMs.toFixed(0)} ms`).join(", ");
  return (
    `stretches ${lengths.length}: p50 ${pct(lengths, 0.5).toFixed(2)} p99 ${pct(lengths, 0.99).toFixed(2)} p99.9 ${pct(lengths, 0.999).toFixed(2)} max ${(lengths.at(-1) ?? Number.NaN).toFixed(2)} ms, ` +
    `≥${LONG_MS} ms ${lengths.filter((ms) => ms >= LONG_MS).length} (${inLong.toFixed(0)} ms), busy ${((100 * busy) / r.windowMs).toFixed(0)}%; ` +
    `peak RSS ${r.peakRssMb.toFixed(0)} MB; CPU ${r.cpuUsPerCall.toFixed(0)} µs/call${r.commitsPerCall !== undefined ? `, ${(1000 * r.commitsPerCall).toFixed(0)} commits/1,000 calls` : ""}; GC ${r.runtime.gc.pauses} pauses ${r.runtime.gc.totalMs.toFixed(0)} ms (${gc}); ` +
    `${r.ok}/${r.sent} ok, latency p50 ${r.latency.p50.toFixed(2)} p99 ${r.latency.p99.toFixed(2)} p99.9 ${r.latency.p999.toFixed(2)} ms (${r.harness})`
  );
}

/** Per part, the longest stretch whose time went mostly (the largest share) to it. */
function longestLed(stretches: readonly LongTask[]): string {
  const led = new Map<string, number>();
  for (const stretch of stretches) {
    const part = stretch.parts[0]?.part;
    if (part !== undefined) led.set(part, Math.max(led.get(part) ?? 0, stretch.durationMs));
  }
  return [...led].sort((a, b) => b[1] - a[1]).map(([part, ms]) => `${part} ${ms.toFixed(1)}`).join(", ") + " ms";
}

/**
 * Transactions the database at `url` has committed (its statistics lag up to a second behind: read
 * after a pause). Besides the gateway's writes it counts a few of its own reads.
 */
async function commits(url: string | undefined): Promise<number | undefined> {
  if (url === undefined) return undefined;
  await new Promise((done) => setTimeout(done, 1_200));
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ commits: string }>("select xact_commit::text as commits from pg_stat_database where datname = current_database()");
    return Number(result.rows[0]?.commits);
  } finally {
    await client.end();
  }
}

/** Busy time of the stretches at least `minMs` long, by part of the gateway, most first. */
function partsOf(stretches: readonly LongTask[], minMs: number): string {
  const byPart = new Map<string, number>();
  for (const stretch of stretches) {
    if (stretch.durationMs < minMs) continue;
    for (const { part, ms } of stretch.parts) byPart.set(part, (byPart.get(part) ?? 0) + ms);
  }
  return [...byPart].sort((a, b) => b[1] - a[1]).map(([part, ms]) => `${part} ${ms.toFixed(0)}`).join(", ") + " ms";
}

await main();
