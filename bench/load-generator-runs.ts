/**
 * What the load generator's process does with each run asked of it (bench/load-generator-child.ts
 * wires it to IPC): open loops (runOpenLoop) and closed loops (runHttpLoad), with the connections
 * to each target kept from run to run.
 */
import type { Client } from "graphql-ws";
import { Pool } from "undici";
import { isChatCompletion, isCompleteResult, runHttpLoad } from "./http-mutation-bench.js";
import type { ClosedLoopResult, HttpTarget, OpenLoopTarget, RunReply, RunRequest } from "./load-generator.js";
import { httpTask, runOpenLoop, sseTtftTask, wsTtftTask, type OpenLoopTask } from "./open-loop.js";
import { watchOwnRuntime } from "./watch-own-runtime.js";
import { connectWsClients } from "./ws-ttft-bench.js";

const pools = new Map<string, Pool>();
const wsClients = new Map<string, Client[]>();

const poolFor = (url: string): Pool => {
  let pool = pools.get(url);
  if (!pool) {
    pool = new Pool(url, { connections: 1024, pipelining: 1, headersTimeout: 60_000, bodyTimeout: 60_000 });
    pools.set(url, pool);
  }
  return pool;
};

const checkOf = (target: HttpTarget): ((text: string) => boolean) => (target.expect === "chat" ? isChatCompletion : isCompleteResult);

async function taskFor(target: OpenLoopTarget): Promise<OpenLoopTask> {
  switch (target.door) {
    case "http":
      return httpTask(poolFor(target.url), target.path, target.body, checkOf(target));
    case "sse":
      return sseTtftTask(poolFor(target.url), target.path, target.body);
    case "ws": {
      let clients = wsClients.get(target.url);
      if (!clients) {
        clients = await connectWsClients(target.url, 20);
        wsClients.set(target.url, clients);
      }
      return wsTtftTask(clients);
    }
  }
}

/** A closed loop (autocannon's own connections), with this process's loop delay and GC pauses over it. */
async function closedLoop(connections: number, seconds: number, target: HttpTarget, requests: number | undefined): Promise<ClosedLoopResult> {
  const runtime = watchOwnRuntime();
  const result = await runHttpLoad({ url: target.url, path: target.path, body: target.body, connections, seconds, isSuccess: checkOf(target), ...(requests !== undefined ? { requests } : {}) });
  return { ...result, generator: runtime.stop() };
}

/** Runs one request and answers it; a failure of the run itself is an `error` reply. */
export async function answerRun(request: RunRequest): Promise<RunReply> {
  try {
    const result = request.loop === "closed"
      ? await closedLoop(request.connections, request.seconds, request.target, request.requests)
      : await runOpenLoop(request.rate, request.seconds, await taskFor(request.target));
    return { id: request.id, result };
  } catch (error) {
    return { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Closes every kept connection. */
export async function closeTargets(): Promise<void> {
  await Promise.all([...pools.values()].map((pool) => pool.close()));
  await Promise.all([...wsClients.values()].flat().map((client) => client.dispose()));
  pools.clear();
  wsClients.clear();
}
