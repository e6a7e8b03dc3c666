import { join } from "node:path";
import type { HttpLoadResult } from "./http-mutation-bench.js";
import type { OpenLoopResult } from "./open-loop.js";
import { spawnNodeChild } from "./spawn-child.js";
import type { OwnRuntime } from "./watch-own-runtime.js";

/** A POST whose whole answer is read; `expect` names the check of a 2xx body. */
export interface HttpTarget {
  door: "http";
  url: string;
  path: string;
  body: string;
  expect: "chat" | "complete";
}

/** What one open-loop run aims at, as data: the generator process builds the task from it. */
export type OpenLoopTarget =
  | HttpTarget
  /** POST a streaming chat completion, timed to the first content delta. */
  | { door: "sse"; url: string; path: string; body: string }
  /** A graphql-ws `completionStream` subscription, timed to the first delta. */
  | { door: "ws"; url: string };

/** A closed loop's figures (autocannon, in the generator process) and the generator's own stalls during it. */
export interface ClosedLoopResult extends HttpLoadResult {
  generator: OwnRuntime;
}

/** One run asked of the generator: an open loop at `rate`, or a closed loop of `connections`. */
export type RunRequest =
  | { id: number; loop: "open"; rate: number; seconds: number; target: OpenLoopTarget }
  | { id: number; loop: "closed"; connections: number; seconds: number; target: HttpTarget; requests?: number };

export type RunReply = { id: number; result: OpenLoopResult | ClosedLoopResult } | { id: number; error: string };

export interface LoadGenerator {
  pid: number;
  /** One open-loop run (runOpenLoop) in the generator process; runs go one at a time. */
  run(rate: number, seconds: number, target: OpenLoopTarget): Promise<OpenLoopResult>;
  /**
   * One closed-loop run (runHttpLoad: `connections` keep-alive connections, each sending as soon as it is
   * answered) for `seconds`, or for `requests` requests in all when given.
   */
  closedLoop(connections: number, seconds: number, target: HttpTarget, requests?: number): Promise<ClosedLoopResult>;
  stop(): Promise<void>;
}

type RunAsked = RunRequest extends infer R ? (R extends RunRequest ? Omit<R, "id"> : never) : never;

/**
 * The load generator in a process of its own (bench/load-generator-child.ts) that does nothing
 * else: no orchestration, no other build's processes, no sample arrays of earlier runs on its heap.
 * Open and closed loops alike run there. It keeps its connections (an undici Pool and graphql-ws
 * clients per target URL) from run to run. `entry` replaces the child's script and node flags
 * (tests run the TypeScript source through tsx).
 */
export async function spawnLoadGenerator(root: string, cpus?: string, entry?: readonly string[]): Promise<LoadGenerator> {
  const handle = await spawnNodeChild({
    name: "load generator",
    args: [...(entry ?? [join(root, "dist/bench/load-generator-child.js")])],
    env: { ...process.env },
    cwd: root,
    readyPattern: /LOAD_GENERATOR=(\S+)/,
    ipc: true,
    ...(cpus !== undefined ? { cpus } : {}),
  });
  const waiting = new Map<number, { resolve(result: OpenLoopResult | ClosedLoopResult): void; reject(error: Error): void }>();
  let nextId = 0;
  handle.child.on("message", (reply: RunReply) => {
    const run = waiting.get(reply.id);
    waiting.delete(reply.id);
    if ("result" in reply) run?.resolve(reply.result);
    else run?.reject(new Error(`load generator: ${reply.error}`));
  });
  handle.child.once("exit", (code, signal) => {
    for (const run of waiting.values()) run.reject(new Error(`load generator exited (code ${code}, signal ${signal})\n${handle.output()}`));
    waiting.clear();
  });
  const ask = (request: RunAsked): Promise<OpenLoopResult | ClosedLoopResult> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      handle.child.send({ ...request, id } satisfies RunRequest);
    });
  return {
    pid: handle.pid,
    run: (rate, seconds, target) => ask({ loop: "open", rate, seconds, target }) as Promise<OpenLoopResult>,
    closedLoop: (connections, seconds, target, requests) =>
      ask({ loop: "closed", connections, seconds, target, ...(requests !== undefined ? { requests } : {}) }) as Promise<ClosedLoopResult>,
    stop: () => handle.stop(),
  };
}
