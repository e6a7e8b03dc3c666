/**
 * Only the streaming part of `npm run bench`: time to first token straight from the simulator
 * (SSE) against Switchyard's /v1/chat/completions (SSE) and `completionStream` (graphql-ws), each
 * in its own process, with an optional CPU profile of the gateway. Closed loop, so nothing queues
 * at BENCH_STREAM_CONCURRENCY=1: the minimum and the median then show what the stream path costs
 * by itself. For quick before/after comparisons of the stream path.
 *
 *   npm run -s build && node dist/bench/stream-latency.js
 *   (knobs as for npm run bench: BENCH_STREAM_CONCURRENCY, BENCH_STREAMS, BENCH_STREAM_WARMUP, BENCH_STREAMS_PER_WS,
 *    DATABASE_URL, BENCH_CPU_PROF)
 */
import { formatStreams } from "./format-report.js";
import { runSseTtft } from "./sse-ttft-bench.js";
import { withBenchProcesses } from "./with-bench-processes.js";
import { connectWsClients, runWsTtft } from "./ws-ttft-bench.js";

await withBenchProcesses(async ({ settings, simulator, gateway }) => {
  const wsClientCount = Math.max(1, Math.ceil(settings.streamConcurrency / settings.streamsPerWsClient));
  console.log(`Streams: warm-up ${settings.streamWarmup}, then ${settings.streams}, each side…`);
  const sseOptions = { url: simulator.url, concurrency: settings.streamConcurrency };
  await runSseTtft({ ...sseOptions, streams: settings.streamWarmup });
  const sse = await runSseTtft({ ...sseOptions, streams: settings.streams });
  const v1Options = { url: gateway.url, concurrency: settings.streamConcurrency, model: "bench" };
  await runSseTtft({ ...v1Options, streams: settings.streamWarmup });
  const v1 = await runSseTtft({ ...v1Options, streams: settings.streams });
  const clients = await connectWsClients(gateway.url, wsClientCount);
  await runWsTtft(clients, settings.streamConcurrency, settings.streamWarmup);
  const ws = await runWsTtft(clients, settings.streamConcurrency, settings.streams);
  await Promise.all(clients.map((client) => client.dispose()));
  const gateways = [
    { label: "switchyard /v1 SSE", result: v1 },
    { label: "switchyard completionStream", result: ws },
  ];
  for (const line of formatStreams(sse, gateways, wsClientCount)) console.log(line);
}, 30);
