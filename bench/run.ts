/**
 * `npm run bench`: the simulator and Switchyard each in their own process, then
 *   1. the `complete` mutation against the same request straight to the simulator (added latency),
 *   2. streaming time-to-first-token, SSE straight vs. `completionStream` over graphql-ws,
 *   3. a check that the call log stored every successful call,
 *   4. the call-log write benchmark (bench/call-log-write.ts),
 * printed and written to bench/results/<timestamp>.json and latest.json.
 * Knobs: BENCH_CONNECTIONS, BENCH_SECONDS, BENCH_WARMUP_SECONDS, BENCH_STREAM_CONCURRENCY, BENCH_STREAMS,
 * BENCH_CALL_LOG_RECORDS, DATABASE_URL, BENCH_CPU_PROF=1|DIR (profile the gateway).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openBenchDatabase, serverVersion, type BenchDatabase } from "./bench-database.js";
import { readBenchSettings } from "./bench-settings.js";
import { runCallLogWriteBench, type CallLogWriteBenchResult } from "./call-log-write.js";
import { printRoutingBench, runRoutingDecisionBench } from "./routing-decision.js";
import { addedLatency, formatMutation, formatPersistence, formatStreams } from "./format-report.js";
import { COMPLETE_MUTATION_BODY, OPENAI_CHAT_BODY, isChatCompletion, isCompleteResult, runHttpLoad } from "./http-mutation-bench.js";
import { stopAllChildren } from "./spawn-child.js";
import { spawnGateway } from "./spawn-gateway.js";
import { BENCH_SIMULATOR_PROFILE, spawnSimulator } from "./spawn-simulator.js";
import { runSseTtft } from "./sse-ttft-bench.js";
import { formatCpuProfileSummary, newestCpuProfile, readCpuProfile, summarizeCpuProfile, type CpuProfileSummary } from "./summarize-cpu-profile.js";
import { verifyPersistence } from "./verify-persistence.js";
import { writeResults } from "./write-results.js";
import { connectWsClients, runWsTtft } from "./ws-ttft-bench.js";

const TARGET_ADDED_MS = { p50: 1, p99: 3 };
const root = fileURLToPath(new URL("../..", import.meta.url));
const log = (line = ""): void => console.log(line);

async function main(): Promise<void> {
  const startedAt = new Date();
  const settings = readBenchSettings(process.env, join(tmpdir(), "switchyard-bench-profiles"));
  const tempDir = mkdtempSync(join(tmpdir(), "switchyard-bench-"));
  let database: BenchDatabase | undefined;
  let cleaning: Promise<void> | undefined;
  const cleanup = (): Promise<void> =>
    (cleaning ??= (async () => {
      await stopAllChildren();
      await database?.drop().catch((error: unknown) => log(`could not drop the scratch database: ${String(error)}`));
      rmSync(tempDir, { recursive: true, force: true });
    })());
  process.once("SIGINT", () => {
    log("\ninterrupted: stopping the child processes and dropping the scratch database");
    void cleanup().finally(() => process.exit(130));
  });

  try {
    database = await openBenchDatabase({ ...(settings.databaseUrl ? { databaseUrl: settings.databaseUrl } : {}), tempDir });
    const pgVersion = database.serverUrl !== undefined ? await serverVersion(database.serverUrl) : undefined;
    const machine = {
      cpus: availableParallelism(),
      cpuModel: cpus()[0]?.model.trim() ?? "unknown",
      totalMemoryGb: Math.round(totalmem() / 2 ** 30),
      loadAverage1m: loadavg()[0] ?? 0,
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      database: { kind: database.kind, label: database.label, ...(pgVersion ? { serverVersion: pgVersion } : {}) },
    };
    log(`Switchyard benchmark — ${machine.cpus} cores (${machine.cpuModel}), ${machine.totalMemoryGb} GB, Node ${machine.node}, ${machine.platform}, load avg ${machine.loadAverage1m.toFixed(2)}`);
    log(`database: ${database.label}${pgVersion ? `, server ${pgVersion}` : ""}`);
    if (database.kind === "pglite") log("NOTE: no Postgres server reachable — persistence runs on embedded PGlite (single-threaded WASM); figures are not those of a server.");

    const simulator = await spawnSimulator({ root, tempDir });
    const gateway = await spawnGateway({ root, tempDir, simulatorUrl: simulator.url, database, ...(settings.cpuProfileDir ? { cpuProfileDir: settings.cpuProfileDir } : {}) });
    log(`simulator: ${simulator.url} (pid ${simulator.pid}), profile ${JSON.stringify(BENCH_SIMULATOR_PROFILE)}`);
    log(`switchyard: ${gateway.url} (pid ${gateway.pid})${settings.cpuProfileDir ? `, under --cpu-prof (slower) → ${settings.cpuProfileDir}` : ""}`);
    log();

    const direct = { url: simulator.url, path: "/v1/chat/completions", body: OPENAI_CHAT_BODY, connections: settings.connections, isSuccess: isChatCompletion };
    const viaGateway = { url: gateway.url, path: "/graphql", body: COMPLETE_MUTATION_BODY, connections: settings.connections, isSuccess: isCompleteResult };
    log(`HTTP mutation: warm-up ${settings.warmupSeconds} s, then ${settings.seconds} s, each side…`);
    await runHttpLoad({ ...direct, seconds: settings.warmupSeconds });
    const baseline = await runHttpLoad({ ...direct, seconds: settings.seconds });
    const gatewayWarmup = await runHttpLoad({ ...viaGateway, seconds: settings.warmupSeconds });
    const switchyard = await runHttpLoad({ ...viaGateway, seconds: settings.seconds });
    const mutationAdded = addedLatency(baseline.latencyMs, switchyard.latencyMs);
    for (const line of formatMutation(baseline, switchyard, mutationAdded, TARGET_ADDED_MS)) log(line);
    log();

    const wsClientCount = Math.max(1, Math.ceil(settings.streamConcurrency / settings.streamsPerWsClient));
    log(`Streams: warm-up ${settings.streamWarmup}, then ${settings.streams}, each side…`);
    const sseOptions = { url: simulator.url, concurrency: settings.streamConcurrency };
    await runSseTtft({ ...sseOptions, streams: settings.streamWarmup });
    const sse = await runSseTtft({ ...sseOptions, streams: settings.streams });
    const clients = await connectWsClients(gateway.url, wsClientCount);
    const wsWarmup = await runWsTtft(clients, settings.streamConcurrency, settings.streamWarmup);
    const ws = await runWsTtft(clients, settings.streamConcurrency, settings.streams);
    await Promise.all(clients.map((client) => client.dispose()));
    const ttftAdded = addedLatency(sse.ttftMs, ws.ttftMs);
    for (const line of formatStreams(sse, ws, wsClientCount, ttftAdded)) log(line);
    log();

    const successes = gatewayWarmup.ok + switchyard.ok + wsWarmup.ok + ws.ok;
    const inFlight = gatewayWarmup.sent - gatewayWarmup.responses + (switchyard.sent - switchyard.responses);
    const requestsSent = gatewayWarmup.sent + switchyard.sent + wsWarmup.streams + ws.streams;
    const persistence = await verifyPersistence({ gatewayUrl: gateway.url, successfulRequests: successes, inFlightAtStop: Math.max(0, inFlight), requestsSent });
    for (const line of formatPersistence(persistence)) log(line);
    log();

    await gateway.stop();

    // The same mutation load through a group where two of three deployments fail 30% of the time.
    const chaosGateway = await spawnGateway({ root, tempDir, simulatorUrl: simulator.url, database, chaos: true });
    const viaChaos = { ...viaGateway, url: chaosGateway.url };
    log(`Chaos: 3 deployments, 2 failing 30% (429/500/503/reset), retries 2 — warm-up ${settings.warmupSeconds} s, then ${settings.seconds} s…`);
    await runHttpLoad({ ...viaChaos, seconds: settings.warmupSeconds });
    const chaos = await runHttpLoad({ ...viaChaos, seconds: settings.seconds });
    const chaosAdded = addedLatency(baseline.latencyMs, chaos.latencyMs);
    log(`  chaos:  ${chaos.ok} ok, ${chaos.non2xx + chaos.badBodies} failed, ${chaos.requestsPerSecond.toFixed(0)} req/s, p50 ${chaos.latencyMs.p50.toFixed(3)} ms, p99 ${chaos.latencyMs.p99.toFixed(3)} ms`);
    log(`  added p99: chaos +${chaosAdded.p99.toFixed(3)} ms vs clean +${mutationAdded.p99.toFixed(3)} ms; added p50: chaos +${chaosAdded.p50.toFixed(3)} ms vs clean +${mutationAdded.p50.toFixed(3)} ms`);
    log();
    await chaosGateway.stop();
    await simulator.stop();
    const cpuProfile = settings.cpuProfileDir !== undefined ? summarizeNewestProfile(settings.cpuProfileDir, startedAt) : undefined;
    await database.drop();

    let callLogWrite: CallLogWriteBenchResult | { error: string };
    try {
      callLogWrite = await runCallLogWriteBench({ ...(database.serverUrl ? { url: database.serverUrl } : {}), records: settings.callLogRecords, log });
    } catch (error) {
      callLogWrite = { error: error instanceof Error ? error.message : String(error) };
      log(`call-log-write failed: ${callLogWrite.error}`);
    }
    log();

    const routing = await runRoutingDecisionBench();
    printRoutingBench(routing);
    log();

    const finishedAt = new Date();
    const file = writeResults(join(root, "bench/results"), {
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationSeconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
      machine,
      settings: { ...settings, databaseUrl: settings.databaseUrl ? "(set)" : undefined, simulatorProfile: BENCH_SIMULATOR_PROFILE },
      mutation: {
        baseline,
        switchyard,
        addedMs: mutationAdded,
        ratio: { p50: switchyard.latencyMs.p50 / baseline.latencyMs.p50, p99: switchyard.latencyMs.p99 / baseline.latencyMs.p99, throughput: switchyard.requestsPerSecond / baseline.requestsPerSecond },
        target: { ...TARGET_ADDED_MS, met: mutationAdded.p50 <= TARGET_ADDED_MS.p50 && mutationAdded.p99 <= TARGET_ADDED_MS.p99 },
      },
      stream: { wsClients: wsClientCount, baseline: sse, switchyard: ws, addedTtftMs: ttftAdded },
      chaos: { switchyard: chaos, addedMs: chaosAdded, cleanAddedMs: mutationAdded },
      persistence,
      callLogWrite,
      routing,
      ...(cpuProfile ? { cpuProfile } : {}),
    }, finishedAt);
    log(`results: ${file} (and bench/results/latest.json), ${((finishedAt.getTime() - startedAt.getTime()) / 1000).toFixed(0)} s in all`);
  } finally {
    await cleanup();
  }
}

function summarizeNewestProfile(dir: string, since: Date): { file: string; summary: CpuProfileSummary } | undefined {
  const file = newestCpuProfile(dir, since.getTime());
  if (file === undefined) {
    log("no .cpuprofile was written by the gateway");
    return undefined;
  }
  const summary = summarizeCpuProfile(readCpuProfile(file), 15);
  log(`Gateway CPU profile (${file}): top 15 functions by self time`);
  for (const line of formatCpuProfileSummary(summary)) log(line);
  log();
  return { file, summary };
}

main().catch(async (error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  await stopAllChildren(2000);
  process.exitCode = 1;
});
