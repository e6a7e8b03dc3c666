import { join } from "node:path";
import type { OpenLoopResult } from "./open-loop.js";
import { spawnNodeChild } from "./spawn-child.js";

/** What one open-loop run aims at, as data: the generator process builds the task from it. */
export type OpenLoopTarget =
  /** POST `body` to `path` and read the whole answer; `expect` names the check of a 2xx body. */
  | { door: "http"; url: string; path: string; body: string; expect: "chat" | "complete" }
  /** POST a streaming chat completion, timed to the first content delta. */
  | { door: "sse"; url: string; path: string; body: string }
  /** A graphql-ws `completionStream` subscription, timed to the first delta. */
  | { door: "ws"; url: string };

export interface RunRequest {
  id: number;
  rate: number;
  seconds: number;
  target: OpenLoopTarget;
}

export type RunReply = { id: number; result: OpenLoopResult } | { id: number; error: string };

export interface LoadGenerator {
  pid: number;
  /** One open-loop run (runOpenLoop) in the generator process; runs go one at a time. */
  run(rate: number, seconds: number, target: OpenLoopTarget): Promise<OpenLoopResult>;
  stop(): Promise<void>;
}

/**
 * The open-loop load generator in a process of its own (bench/load-generator-child.ts) that does
 * nothing else: no orchestration, no other build's processes, no sample arrays of earlier runs on its
 * heap. It keeps its connections (an undici Pool and graphql-ws clients per target URL) from run to run.
 */
export async function spawnLoadGenerator(root: string, cpus?: string): Promise<LoadGenerator> {
  const handle = await spawnNodeChild({
    name: "load generator",
    args: [join(root, "dist/bench/load-generator-child.js")],
    env: { ...process.env },
    cwd: root,
    readyPattern: /LOAD_GENERATOR=(\S+)/,
    ipc: true,
    ...(cpus !== undefined ? { cpus } : {}),
  });
  const waiting = new Map<number, { resolve(result: OpenLoopResult): void; reject(error: Error): void }>();
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
  return {
    pid: handle.pid,
    run: (rate, seconds, target) =>
      new Promise<OpenLoopResult>((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, { resolve, reject });
        handle.child.send({ id, rate, seconds, target } satisfies RunRequest);
      }),
    stop: () => handle.stop(),
  };
}
