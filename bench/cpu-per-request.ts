/**
 * CPU per request: on a loaded machine wall-clock throughput is noise, but a closed loop on a few cores
 * is bounded by what each request costs the gateway's process in CPU. This sends N requests at a fixed
 * concurrency to each target in turn and reads the target's CPU time (every thread, from
 * /proc/<pid>/task/<tid>/schedstat, in ns) before and after: µs of CPU per request, several alternating
 * rounds, median and spread per target.
 *
 *   node dist/bench/cpu-per-request.js [--compare <other built checkout>] [--requests 4000]
 *     [--concurrency 16] [--rounds 5] [--database-url postgres://…/db] [--only v1|graphql|ws] [--cpu-prof DIR]
 *     [--stream] [--root <built checkout to measure instead of this one>] [--node-args "…"] [--before-node-args "…"]
 *
 * Targets: the floor proxy (bench/floor-proxy.ts), this build's gateway, and with --compare another
 * build's gateway ("before"), each on /v1/chat/completions and GraphQL `complete` (or, with --only ws, graphql-ws
 * `completionStream` subscriptions read to the end: CPU per stream). Without --database-url the call
 * log goes to embedded PGlite in a temp folder. With --stream, /v1 asks for an SSE stream (read to
 * `[DONE]`; the floor pipes it through) and GraphQL is left out. Linux only (/proc).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Client } from "graphql-ws";
import { Pool } from "undici";
import type { BenchDatabase } from "./bench-database.js";
import { COMPLETE_MUTATION_BODY, OPENAI_CHAT_BODY, isChatCompletion, isCompleteResult } from "./http-mutation-bench.js";
import { type ChildHandle, stopAllChildren } from "./spawn-child.js";
import { spawnFloor } from "./spawn-floor.js";
import { spawnGateway } from "./spawn-gateway.js";
import { spawnSimulator } from "./spawn-simulator.js";
import { connectWsClients, runWsTtft } from "./ws-ttft-bench.js";
import { cpuMicrosByThread } from "./process-cpu.js";

const ownRoot = fileURLToPath(new URL("../..", import.meta.url));
const V1_BODY = JSON.stringify({ model: "bench", messages: [{ role: "user", content: "Say hello to the benchmark" }] });
const V1_STREAM_BODY = JSON.stringify({ model: "bench", stream: true, messages: [{ role: "user", content: "Say hello to the benchmark" }] });
const FLOOR_STREAM_BODY = JSON.stringify({ ...(JSON.parse(OPENAI_CHAT_BODY) as object), stream: true });
const isSseToDone = (text: string): boolean => text.includes('"content":"') && text.trimEnd().endsWith("data: [DONE]");

/** A target's door, whichever build it is ("/v1 before" and "/v1 after" are one door; the floor is its own). */
const doorOf = (t: Target): string => t.label.replace(/ (before|after|gateway)$/, "");

interface Target {
  label: string;
  handle: ChildHandle;
  path: string;
  body: string;
  isSuccess(text: string): boolean;
  /** A graphql-ws `completionStream` per request instead of an HTTP POST (path is then only the door's name). */
  ws?: true;
}

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

/** Node flags of a gateway (space-separated; "" for none), so V8 settings can be compared on one build (`--compare .`). */
function nodeArgsOption(name: string): string[] | undefined {
  return option(name)?.split(" ").filter((arg) => arg !== "");
}


async function drivePost(target: Target, pool: Pool, requests: number, concurrency: number): Promise<number> {
  let next = 0;
  let failures = 0;
  let firstFailure = "";
  const worker = async (): Promise<void> => {
    while (next < requests) {
      next++;
      const answer = await pool.request({ path: target.path, method: "POST", headers: { "content-type": "application/json" }, body: target.body });
      const text = await answer.body.text();
      if (answer.statusCode !== 200 || !target.isSuccess(text)) {
        failures++;
        firstFailure ||= `${answer.statusCode} ${text.slice(0, 200)}`;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  if (failures > 0) throw new Error(`${target.label}: ${failures} failed, first: ${firstFailure}`);
  return requests;
}

/** `requests` completionStream subscriptions read to their end, `concurrency` at once, one WebSocket per slot. */
async function driveWs(target: Target, clients: readonly Client[], requests: number, concurrency: number): Promise<number> {
  const result = await runWsTtft(clients, concurrency, requests);
  if (result.failed > 0) throw new Error(`${target.label}: ${result.failed} failed, first: ${result.firstFailure ?? ""}`);
  return requests;
}

async function main(): Promise<void> {
  const requests = Number(option("requests") ?? 4000);
  const concurrency = Number(option("concurrency") ?? 16);
  const rounds = Number(option("rounds") ?? 5);
  const compare = option("compare");
  const compareRoot = compare === undefined ? undefined : resolve(compare);
  // Another checkout's build to measure instead of this one (e.g. one with an unbundled entry, for profiles).
  const root = option("root") ?? ownRoot;
  const databaseUrl = option("database-url");
  const stream = process.argv.includes("--stream");
  const only = stream ? "v1" : option("only");
  const cpuProfileDir = option("cpu-prof");
  const tempDir = mkdtempSync(join(tmpdir(), "switchyard-cpu-"));
  // Postgres: both gateways share the database; PGlite: each its own data folder (it takes a lock).
  const databaseFor = (name: string): BenchDatabase =>
    databaseUrl
      ? { kind: "postgres", label: "postgres", url: databaseUrl, drop: async () => undefined }
      : { kind: "pglite", label: "pglite", dataDir: join(tempDir, `pgdata-${name}`), drop: async () => undefined };
  const databaseKind = databaseUrl ? "postgres" : "pglite";
  try {
    const simulator = await spawnSimulator({ root, tempDir });
    const floor = await spawnFloor(root, simulator.url);
    const gateways: Array<{ label: string; handle: ChildHandle }> = [];
    if (compareRoot) {
      const beforeDir = mkdtempSync(join(tempDir, "before-"));
      const nodeArgs = nodeArgsOption("before-node-args") ?? nodeArgsOption("node-args");
      gateways.push({ label: "before", handle: await spawnGateway({ root: compareRoot, tempDir: beforeDir, simulatorUrl: simulator.url, database: databaseFor("before"), ...(nodeArgs ? { nodeArgs } : {}) }) });
    }
    const profiling = cpuProfileDir ? { cpuProfileDir } : {};
    const nodeArgs = nodeArgsOption("node-args");
    gateways.push({ label: compareRoot ? "after" : "gateway", handle: await spawnGateway({ root, tempDir, simulatorUrl: simulator.url, database: databaseFor("after"), ...profiling, ...(nodeArgs ? { nodeArgs } : {}) }) });
    const v1 = stream ? { body: V1_STREAM_BODY, isSuccess: isSseToDone } : { body: V1_BODY, isSuccess: isChatCompletion };
    const floorBody = stream ? { body: FLOOR_STREAM_BODY, isSuccess: isSseToDone } : { body: OPENAI_CHAT_BODY, isSuccess: isChatCompletion };
    const targets: Target[] = [{ label: "floor", handle: floor, path: "/v1/chat/completions", ...floorBody }];
    for (const g of gateways) {
      if (only === undefined || only === "v1") targets.push({ label: `/v1 ${g.label}`, handle: g.handle, path: "/v1/chat/completions", ...v1 });
      if (only === undefined || only === "graphql") targets.push({ label: `GraphQL ${g.label}`, handle: g.handle, path: "/graphql", body: COMPLETE_MUTATION_BODY, isSuccess: isCompleteResult });
      if (only === "ws") targets.push({ label: `ws ${g.label}`, handle: g.handle, path: "ws /graphql", body: "", isSuccess: () => true, ws: true });
    }
    const pools = new Map(targets.map((t) => [t, new Pool(t.handle.url, { connections: concurrency, pipelining: 1 })]));
    const wsClients = new Map<Target, Client[]>();
    for (const t of targets) if (t.ws) wsClients.set(t, await connectWsClients(t.handle.url, concurrency));
    const drive = (t: Target, pool: Pool, count: number, slots: number): Promise<number> => (t.ws ? driveWs(t, wsClients.get(t)!, count, slots) : drivePost(t, pool, count, slots));
    // Warm-up: JIT, pools, the call log's first batches.
    for (const t of targets) await drive(t, pools.get(t)!, Math.min(requests, 2000), concurrency);
    const samples = new Map<Target, number[]>(targets.map((t) => [t, []]));
    // The same CPU split by thread: the main thread (where requests wait) and the others (V8's helpers, libuv's pool, worker threads).
    const mainSamples = new Map<Target, number[]>(targets.map((t) => [t, []]));
    for (let round = 0; round < rounds; round++) {
      // Alternate the order each round, so drift on a loaded machine lands on every target alike.
      const order = round % 2 === 0 ? targets : [...targets].reverse();
      // The same door of both builds is driven at once: whatever the rest of the machine does then,
      // both meet it alike, so their ratio is steadier than either figure. By door, not by path: the
      // floor shares /v1's path, and driven beside /v1 it made /v1's CPU per request read ~20% higher
      // (two loads on two cores) than GraphQL's, measured alone — the doors were not comparable.
      const batches = [...new Set(order.map(doorOf))].map((door) => order.filter((t) => doorOf(t) === door));
      for (const batch of batches) {
        const before = batch.map((t) => cpuMicrosByThread(t.handle.pid));
        await Promise.all(batch.map((t) => drive(t, pools.get(t)!, requests, concurrency)));
        // The call log writes in batches after the answers: let the last one land on this run's bill.
        await new Promise((resolve) => setTimeout(resolve, 300));
        batch.forEach((t, i) => {
          const after = cpuMicrosByThread(t.handle.pid);
          samples.get(t)!.push((after.main + after.other - before[i]!.main - before[i]!.other) / requests);
          mainSamples.get(t)!.push((after.main - before[i]!.main) / requests);
        });
      }
      console.log(`round ${round + 1}: ${targets.map((t) => `${t.label} ${samples.get(t)!.at(-1)!.toFixed(0)}`).join(", ")} µs/request`);
    }
    console.log(`\n${requests} ${stream ? "streamed " : ""}requests × ${rounds} rounds at concurrency ${concurrency}, database ${databaseKind}; CPU µs per request of the target's process (every thread; main thread and the others apart):`);
    const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    for (const t of targets) {
      const values = samples.get(t)!;
      const main = mainSamples.get(t)!;
      const other = values.map((value, i) => value - main[i]!);
      console.log(
        `  ${t.label.padEnd(16)} median ${median(values).toFixed(0).padStart(5)}  min ${Math.min(...values).toFixed(0).padStart(5)}  max ${Math.max(...values).toFixed(0).padStart(5)}` +
          `  (main thread ${median(main).toFixed(0).padStart(4)}, other threads ${median(other).toFixed(0).padStart(4)})`,
      );
    }
    for (const door of ["/v1", "GraphQL", "ws"]) {
      const before = targets.find((t) => t.label === `${door} before`);
      const after = targets.find((t) => t.label === `${door} after`);
      if (!before || !after) continue;
      const ratios = samples.get(after)!.map((value, i) => value / samples.get(before)![i]!);
      console.log(`  ${door} after/before per round: ${ratios.map((r) => r.toFixed(3)).join(" ")}; median ${median(ratios).toFixed(3)}`);
      const mainRatios = mainSamples.get(after)!.map((value, i) => value / mainSamples.get(before)![i]!);
      console.log(`  ${door} main thread after/before per round: ${mainRatios.map((r) => r.toFixed(3)).join(" ")}; median ${median(mainRatios).toFixed(3)}`);
    }
    await Promise.all([...pools.values()].map((p) => p.close()));
    for (const clients of wsClients.values()) for (const client of clients) await client.dispose();
  } finally {
    await stopAllChildren();
    rmSync(tempDir, { recursive: true, force: true });
  }
}

await main();
