/**
 * Only the first part of `npm run bench`: the `complete` mutation through Switchyard against the
 * same request straight to the simulator, each in its own process, with an optional CPU profile
 * of the gateway. For quick before/after comparisons of the request path.
 *
 *   npm run -s build && node dist/bench/mutation-latency.js
 *   (knobs as for npm run bench: BENCH_SECONDS, BENCH_WARMUP_SECONDS, DATABASE_URL, BENCH_CPU_PROF; and
 *    BENCH_CONNECTION_SWEEP, default "1,10,100": each level is measured direct and through Switchyard)
 *
 * The sweep separates what the gateway adds to one request (1 connection: no queueing) from what
 * queueing adds once its CPU is the bottleneck (100 connections on a 2-core machine shared by the load
 * generator, the simulator, Postgres and the gateway).
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openBenchDatabase } from "./bench-database.js";
import { readBenchSettings } from "./bench-settings.js";
import { addedLatency, formatMutation } from "./format-report.js";
import { COMPLETE_MUTATION_BODY, OPENAI_CHAT_BODY, isChatCompletion, isCompleteResult, runHttpLoad } from "./http-mutation-bench.js";
import { stopAllChildren } from "./spawn-child.js";
import { spawnGateway } from "./spawn-gateway.js";
import { spawnSimulator } from "./spawn-simulator.js";
import { formatCpuProfileSummary, readCpuProfile, summarizeCpuProfile } from "./summarize-cpu-profile.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const settings = readBenchSettings(process.env, join(tmpdir(), "switchyard-bench-profiles"));
const tempDir = mkdtempSync(join(tmpdir(), "switchyard-bench-"));
const startedAt = Date.now();
if (settings.cpuProfileDir !== undefined) mkdirSync(settings.cpuProfileDir, { recursive: true });
const database = await openBenchDatabase({ ...(settings.databaseUrl ? { databaseUrl: settings.databaseUrl } : {}), tempDir });
try {
  const simulator = await spawnSimulator({ root, tempDir });
  const gateway = await spawnGateway({ root, tempDir, simulatorUrl: simulator.url, database, ...(settings.cpuProfileDir ? { cpuProfileDir: settings.cpuProfileDir } : {}) });
  const sweep = (process.env.BENCH_CONNECTION_SWEEP ?? "1,10,100").split(",").map((text) => Number(text.trim()));
  if (sweep.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error("BENCH_CONNECTION_SWEEP must list positive integers");
  for (const connections of sweep) {
    const direct = { url: simulator.url, path: "/v1/chat/completions", body: OPENAI_CHAT_BODY, connections, isSuccess: isChatCompletion };
    const viaGateway = { url: gateway.url, path: "/graphql", body: COMPLETE_MUTATION_BODY, connections, isSuccess: isCompleteResult };
    console.log(`HTTP mutation at ${connections} connection(s): warm-up ${settings.warmupSeconds} s, then ${settings.seconds} s, each side…`);
    await runHttpLoad({ ...direct, seconds: settings.warmupSeconds });
    const baseline = await runHttpLoad({ ...direct, seconds: settings.seconds });
    await runHttpLoad({ ...viaGateway, seconds: settings.warmupSeconds });
    const switchyard = await runHttpLoad({ ...viaGateway, seconds: settings.seconds });
    for (const line of formatMutation(baseline, switchyard, addedLatency(baseline.latencyMs, switchyard.latencyMs), { p50: 1, p99: 3 })) console.log(line);
    console.log();
  }
  await gateway.stop();
  await simulator.stop();
  if (settings.cpuProfileDir !== undefined) {
    const newest = readdirSync(settings.cpuProfileDir)
      .filter((name) => name.endsWith(".cpuprofile"))
      .map((name) => join(settings.cpuProfileDir!, name))
      .filter((file) => statSync(file).mtimeMs >= startedAt)
      .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
    if (newest) for (const line of formatCpuProfileSummary(summarizeCpuProfile(readCpuProfile(newest), 25))) console.log(line);
  }
} finally {
  await stopAllChildren();
  await database.drop();
  rmSync(tempDir, { recursive: true, force: true });
}
