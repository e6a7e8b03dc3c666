/**
 * The load generator's process (spawned by bench/load-generator.ts): runs open loops asked for over
 * IPC, one at a time, and answers with their figures. Prints LOAD_GENERATOR=ready once listening.
 */
import type { Client } from "graphql-ws";
import { Pool } from "undici";
import { isChatCompletion, isCompleteResult } from "./http-mutation-bench.js";
import type { OpenLoopTarget, RunReply, RunRequest } from "./load-generator.js";
import { httpTask, runOpenLoop, sseTtftTask, wsTtftTask, type OpenLoopTask } from "./open-loop.js";
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

async function taskFor(target: OpenLoopTarget): Promise<OpenLoopTask> {
  switch (target.door) {
    case "http":
      return httpTask(poolFor(target.url), target.path, target.body, target.expect === "chat" ? isChatCompletion : isCompleteResult);
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

const reply = (message: RunReply): void => void process.send?.(message);

process.on("message", (request: RunRequest) => {
  void taskFor(request.target)
    .then((task) => runOpenLoop(request.rate, request.seconds, task))
    .then(
      (result) => reply({ id: request.id, result }),
      (error: unknown) => reply({ id: request.id, error: error instanceof Error ? error.message : String(error) }),
    );
});

const close = (): void => {
  void Promise.all([...pools.values()].map((pool) => pool.close()))
    .then(() => Promise.all([...wsClients.values()].flat().map((client) => client.dispose())))
    .finally(() => process.exit(0));
};
process.once("SIGTERM", close);
process.once("disconnect", close);
console.log("LOAD_GENERATOR=ready");
