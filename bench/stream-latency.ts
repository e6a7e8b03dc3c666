/**
 * Only the streaming part of `npm run bench`: time to first token straight from the simulator
 * (SSE) against `completionStream` through Switchyard (graphql-ws), each in its own process, with
 * an optional CPU profile of the gateway. For quick before/after comparisons of the stream path.
 *
 *   npm run -s build && node dist/bench/stream-latency.js
 *   (knobs as for npm run bench: BENCH_STREAM_CONCURRENCY, BENCH_STREAMS, BENCH_STREAM_WARMUP, BENCH_STREAMS_PER_WS,
 *    DATABASE_URL, BENCH_CPU_PROF)
 */
import { addedLatency, formatStreams } from "./format-report.js";
import { runSseTtft } from "./sse-ttft-bench.js";
import { withBenchProcesses } from "./with-bench-processes.js";
import { connectWsClients, runWsTtft } from "./ws-ttft-bench.js";

await withBenchProcesses(async ({ settings, simulator, gateway }) => {
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
}, 30);
