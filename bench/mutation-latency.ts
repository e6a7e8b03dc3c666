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
import { addedLatency, formatMutation } from "./format-report.js";
import { COMPLETE_MUTATION_BODY, OPENAI_CHAT_BODY, isChatCompletion, isCompleteResult, runHttpLoad } from "./http-mutation-bench.js";
import { withBenchProcesses } from "./with-bench-processes.js";

await withBenchProcesses(async ({ settings, simulator, gateway }) => {
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
}, 25);
