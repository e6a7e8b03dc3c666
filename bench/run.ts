/**
 * `npm run bench`: the simulator, the floor proxy (bench/floor-proxy.ts) and Switchyard each in their
 * own process, then
 *   1. side by side, open loop at BENCH_RATE (1,000/s) and BENCH_STREAM_RATE (500/s): upstream, floor,
 *      /v1, GraphQL `complete`, SSE and graphql-ws time to first token, with the gateway's event-loop
 *      delay and GC pauses during each run; closed-loop req/s of floor, /v1 and GraphQL;
 *   2. a check that the call log stored every successful call,
 *   3. BENCH_CONCURRENT_STREAMS (5,000 and 10,000; a list, 0 skips) slow streams held open at once, with the
 *      gateway's RSS and its cost per open stream, upstream over HTTP/1.1 and h2c;
 *   4. with BENCH_FULL=1: the chaos run, the call-log write benchmark, the routing-decision benchmark;
 * printed and written to bench/results/<timestamp>.json and latest.json.
 * BENCH_COMPARE=<folder of another built checkout> measures that build as "before", right before each
 * run of this one. BENCH_ROUNDS=N repeats part 1 N times (upstream and floor every round, the builds' order
 * alternating) and prints the medians; a Goals block at the end judges each goal of issue 12 on them.
 * Knobs: BENCH_CONNECTIONS, BENCH_SECONDS, BENCH_WARMUP_SECONDS, BENCH_GATEWAY_WARMUP_REQUESTS (each
 * gateway through every door before any is measured, requests per door; 0: none), BENCH_DOOR_ORDER (v1-first | graphql-first), BENCH_CALL_LOG_RECORDS,
 * DATABASE_URL, BENCH_CPU_PROF=1|DIR (profile the gateway), BENCH_WORKERS=N (server.workers of the gateway;
 * above 1 it needs Postgres and a Redis: BENCH_REDIS_URL, REDIS_URL or the local one), BENCH_PIN=1 (load
 * generator and simulator on CPU 0, floor and gateways on CPU 1; the table says so).
 * The open and closed loops run in a load-generator process of their own (bench/load-generator.ts), which
 * reports its own event-loop delay, GC pauses (and, open loop, launch lag) and CPU beside each row.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openBenchDatabase, serverVersion, type BenchDatabase } from "./bench-database.js";
import { readBenchSettings } from "./bench-settings.js";
import { runCallLogWriteBench, type CallLogWriteBenchResult } from "./call-log-write.js";
import { printRoutingBench, runRoutingDecisionBench } from "./routing-decision.js";
import { formatConcurrentStreams, measureConcurrentStreams, type ConcurrentStreamsResult } from "./concurrent-streams.js";
import { formatPersistence } from "./format-report.js";
import { COMPLETE_MUTATION_BODY } from "./http-mutation-bench.js";
import { formatRoundMedians } from "./format-round-medians.js";
import { formatGoals, goalFigures, judgeGoals } from "./goals.js";
import { summarizeRounds } from "./round-medians.js";
import { formatSideBySide } from "./side-by-side.js";
import { runSideBySideRounds } from "./side-by-side-rounds.js";
import { spawnFloor } from "./spawn-floor.js";
import { planStreams, readMachineLimits } from "./stream-limits.js";
import { spawnLoadGenerator, type ClosedLoopResult, type HttpTarget } from "./load-generator.js";
import { stopAllChildren } from "./spawn-child.js";
import { spawnGateway } from "./spawn-gateway.js";
import { BENCH_SIMULATOR_PROFILE, spawnSimulator } from "./spawn-simulator.js";
import { formatCpuProfileSummary, newestCpuProfile, readCpuProfile, summarizeCpuProfile, type CpuProfileSummary } from "./summarize-cpu-profile.js";
import { verifyPersistence } from "./verify-persistence.js";
import { writeResults } from "./write-results.js";

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

    if (settings.pin && availableParallelism() < 2) throw new Error("BENCH_PIN=1 needs at least 2 CPUs");
    // BENCH_PIN=1: load (generator, simulator) on CPU 0, the proxy measured on CPU 1, floor and gateways alike.
    const load = settings.pin ? { cpus: "0" } : {};
    const proxy = settings.pin ? { cpus: "1" } : {};
    const simulator = await spawnSimulator({ root, tempDir, ...load });
    const generator = await spawnLoadGenerator(root, load.cpus);
    const floor = await spawnFloor(root, simulator.url, proxy.cpus);
    const workers = { count: settings.workers, redisUrl: settings.redisUrl };
    const gateway = await spawnGateway({ root, tempDir, simulatorUrl: simulator.url, database, workers, ...proxy, ...(settings.cpuProfileDir ? { cpuProfileDir: settings.cpuProfileDir } : {}) });
    const before = settings.compareRoot ? await spawnGateway({ root: settings.compareRoot, tempDir, simulatorUrl: simulator.url, database, ...proxy }) : undefined;
    log(`simulator: ${simulator.url} (pid ${simulator.pid}), profile ${JSON.stringify(BENCH_SIMULATOR_PROFILE)}; floor: ${floor.url} (pid ${floor.pid}); load generator: pid ${generator.pid}`);
    log(settings.pin
      ? "PINNED (BENCH_PIN=1): load generator and simulator on CPU 0, floor and gateways on CPU 1 (taskset); Postgres and this process unpinned. Not comparable with unpinned figures."
      : "unpinned: every process where the kernel puts it (BENCH_PIN=1 pins load and proxy to a core each)");
    log(`switchyard: ${gateway.url} (pid ${gateway.pid}${settings.workers > 1 ? `, the primary of ${settings.workers} workers (BENCH_WORKERS)` : ""})${settings.cpuProfileDir ? `, under --cpu-prof (slower) → ${settings.cpuProfileDir}` : ""}`);
    if (before) {
      log(`switchyard before (${settings.compareRoot}): ${before.url} (pid ${before.pid}), measured right before each run of the current build` +
        `${settings.rounds > 1 ? " in odd rounds, right after it in even rounds" : ""}`);
    }
    log();

    const sideBySide = await runSideBySideRounds({
      upstream: simulator,
      floor,
      generator,
      gateways: [...(before ? [{ label: "before", handle: before }] : []), { label: "", handle: gateway }],
      rate: settings.rate,
      streamRate: settings.streamRate,
      seconds: settings.seconds,
      warmupSeconds: settings.warmupSeconds,
      gatewayWarmupRequests: settings.gatewayWarmupRequests,
      doorOrder: settings.doorOrder,
      closedLoopSeconds: Math.max(1, Math.round(settings.seconds / 2)),
      closedLoopConnections: settings.connections,
      log,
    }, settings.rounds);
    const medians = summarizeRounds(sideBySide.rounds);
    log();
    const tables = settings.rounds === 1
      ? formatSideBySide(sideBySide.rounds[0]!, settings.rate, settings.streamRate, settings.pin)
      : formatRoundMedians(medians, settings.rate, settings.streamRate, settings.pin);
    for (const line of tables) log(line);
    log();

    const calls = sideBySide.gatewayCalls;
    const persistence = before
      ? undefined
      : await verifyPersistence({ gatewayUrl: gateway.url, successfulRequests: calls.ok, inFlightAtStop: calls.inFlightAtStop, requestsSent: calls.sent });
    if (persistence) for (const line of formatPersistence(persistence)) log(line);
    else log("Persistence: not checked (two gateways share the scratch database in a comparison run)");
    log();
    await before?.stop();
    await gateway.stop();
    await floor.stop();

    const concurrent: Array<ConcurrentStreamsResult & { build: string }> = [];
    if (settings.concurrentStreams.length > 0) {
      // Upstream HTTP/1.1 (a socket per stream) and h2c (a hundred streams per socket); an older build is measured over HTTP/1.1 only.
      for (const streams of settings.concurrentStreams) {
        const runs = [
          ...(settings.compareRoot ? [{ label: "before", buildRoot: settings.compareRoot, http2: false }] : []),
          { label: "current", buildRoot: root, http2: false },
          { label: "current", buildRoot: root, http2: true },
        ];
        for (const { label, buildRoot, http2 } of runs) {
          // A run that the descriptors cannot hold all open is skipped, saying which limit, unless BENCH_CONCURRENT_ALL=1.
          const biting = planStreams(streams, http2, readMachineLimits()).limitsBiting;
          if (biting.length > 0 && process.env.BENCH_CONCURRENT_ALL !== "1") {
            log(`Concurrent streams (${label}): ${streams} streams (upstream ${http2 ? "h2c" : "HTTP/1.1"}) SKIPPED, they cannot all be open at once on this machine (BENCH_CONCURRENT_ALL=1 runs it anyway):`);
            for (const line of biting) log(`    LIMIT: ${line}`);
            continue;
          }
          const result = await measureConcurrentStreams({ root: buildRoot, simulatorRoot: root, tempDir, database, streams, seconds: settings.streamSeconds, http2, log });
          concurrent.push({ build: label, ...result });
          log(`Concurrent streams (${label}):`);
          for (const line of formatConcurrentStreams(result)) log(line);
        }
      }
      log();
    }

    let chaos: ClosedLoopResult | undefined;
    if (settings.full) {
      // The same mutation load through a group where two of three deployments fail 30% of the time.
      const chaosGateway = await spawnGateway({ root, tempDir, simulatorUrl: simulator.url, database, chaos: true });
      const viaChaos: HttpTarget = { door: "http", url: chaosGateway.url, path: "/graphql", body: COMPLETE_MUTATION_BODY, expect: "complete" };
      log(`Chaos: 3 deployments, 2 failing 30% (429/500/503/reset), retries 2 — warm-up ${settings.warmupSeconds} s, then ${settings.seconds} s…`);
      await generator.closedLoop(settings.connections, settings.warmupSeconds, viaChaos);
      chaos = await generator.closedLoop(settings.connections, settings.seconds, viaChaos);
      log(`  chaos:  ${chaos.ok} ok, ${chaos.non2xx + chaos.badBodies} failed, ${chaos.requestsPerSecond.toFixed(0)} req/s, p50 ${chaos.latencyMs.p50.toFixed(3)} ms, p99 ${chaos.latencyMs.p99.toFixed(3)} ms`);
      log();
      await chaosGateway.stop();
    }
    await generator.stop();
    await simulator.stop();
    const cpuProfile = settings.cpuProfileDir !== undefined ? summarizeNewestProfile(settings.cpuProfileDir, startedAt) : undefined;
    await database.drop();

    let callLogWrite: CallLogWriteBenchResult | { error: string } | undefined;
    let routing: Awaited<ReturnType<typeof runRoutingDecisionBench>> | undefined;
    if (settings.full) {
      try {
        callLogWrite = await runCallLogWriteBench({ ...(database.serverUrl ? { url: database.serverUrl } : {}), records: settings.callLogRecords, log });
      } catch (error) {
        callLogWrite = { error: error instanceof Error ? error.message : String(error) };
        log(`call-log-write failed: ${callLogWrite.error}`);
      }
      log();
      routing = await runRoutingDecisionBench();
      printRoutingBench(routing);
      log();
    }

    const goals = {
      current: judgeGoals(goalFigures(medians, "", concurrent.filter((run) => run.build === "current"))),
      ...(before ? { before: judgeGoals(goalFigures(medians, "before", concurrent.filter((run) => run.build === "before"))) } : {}),
    };
    for (const line of formatGoals(settings.rounds, goals.current, goals.before)) log(line);
    log();

    const finishedAt = new Date();
    const file = writeResults(join(root, "bench/results"), {
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationSeconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
      machine,
      settings: { ...settings, databaseUrl: settings.databaseUrl ? "(set)" : undefined, simulatorProfile: BENCH_SIMULATOR_PROFILE },
      sideBySide: { ...sideBySide, medians },
      goals,
      concurrentStreams: concurrent,
      ...(persistence ? { persistence } : {}),
      ...(chaos ? { chaos } : {}),
      ...(callLogWrite ? { callLogWrite } : {}),
      ...(routing ? { routing } : {}),
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
