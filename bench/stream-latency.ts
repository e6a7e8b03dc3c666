/**
 * Only the streaming part of `npm run bench`: time to first token straight from the simulator
 * (SSE) against `completionStream` through Switchyard (graphql-ws), each in its own process, with
 * an optional CPU profile of the gateway. For quick before/after comparisons of the stream path.
 *
 *   npm run -s build && node dist/bench/stream-latency.js
 *   (knobs as for npm run bench: BENCH_STREAM_CONCURRENCY, BENCH_STREAMS, BENCH_STREAM_WARMUP, BENCH_STREAMS_PER_WS,
 *    DATABASE_URL, BENCH_CPU_PROF)
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openBenchDatabase } from "./bench-database.js";
import { readBenchSettings } from "./bench-settings.js";
import { addedLatency, formatStreams } from "./format-report.js";
import { stopAllChildren } from "./spawn-child.js";
import { spawnGateway } from "./spawn-gateway.js";
import { spawnSimulator } from "./spawn-simulator.js";
import { runSseTtft } from "./sse-ttft-bench.js";
import { formatCpuProfileSummary, readCpuProfile, summarizeCpuProfile } from "./summarize-cpu-profile.js";
import { connectWsClients, runWsTtft } from "./ws-ttft-bench.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const settings = readBenchSettings(process.env, join(tmpdir(), "switchyard-bench-profiles"));
const tempDir = mkdtempSync(join(tmpdir(), "switchyard-bench-"));
const startedAt = Date.now();
if (settings.cpuProfileDir !== undefined) mkdirSync(settings.cpuProfileDir, { recursive: true });
const database = await openBenchDatabase({ ...(settings.databaseUrl ? { databaseUrl: settings.databaseUrl } : {}), tempDir });
try {
  const simulator = await spawnSimulator({ root, tempDir });
  const gateway = await spawnGateway({ root, tempDir, simulatorUrl: simulator.url, database, ...(settings.cpuProfileDir ? { cpuProfileDir: settings.cpuProfileDir } : {}) });
  const wsClientCount = Math.max(1, Math.ceil(settings.streamConcurrency / settings.streamsPerWsClient));
  console.log(`Streams: warm-up ${settings.streamWarmup}, then ${settings.streams}, each side…`);
  const sseOptions = { url: simulator.url, concurrency: settings.streamConcurrency };
  await runSseTtft({ ...sseOptions, streams: settings.streamWarmup });
  const sse = await runSseTtft({ ...sseOptions, streams: settings.streams });
  const clients = await connectWsClients(gateway.url, wsClientCount);
  await runWsTtft(clients, settings.streamConcurrency, settings.streamWarmup);
  const ws = await runWsTtft(clients, settings.streamConcurrency, settings.streams);
  await Promise.all(clients.map((client) => client.dispose()));
  for (const line of formatStreams(sse, ws, wsClientCount, addedLatency(sse.ttftMs, ws.ttftMs))) console.log(line);
  await gateway.stop();
  await simulator.stop();
  if (settings.cpuProfileDir !== undefined) {
    const newest = readdirSync(settings.cpuProfileDir)
      .filter((name) => name.endsWith(".cpuprofile"))
      .map((name) => join(settings.cpuProfileDir!, name))
      .filter((file) => statSync(file).mtimeMs >= startedAt)
      .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
    if (newest) for (const line of formatCpuProfileSummary(summarizeCpuProfile(readCpuProfile(newest), 30))) console.log(line);
  }
} finally {
  await stopAllChildren();
  await database.drop();
  rmSync(tempDir, { recursive: true, force: true });
}
