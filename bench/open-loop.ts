import { Pool } from "undici";
import type { Client } from "graphql-ws";
import { summarizeLatencies, type LatencySummary } from "./latency-stats.js";
import { readSseStream } from "./read-sse-stream.js";

export interface OpenLoopResult {
  rate: number;
  seconds: number;
  sent: number;
  ok: number;
  failed: number;
  /** From the request's own start to the answer (HTTP) or the first content (streams), µs timer. */
  latencyMs: LatencySummary;
  firstFailure?: string;
}

/** One request of an open-loop run: resolves with its latency in ms, or rejects with why it failed. */
export type OpenLoopTask = () => Promise<number>;

/**
 * An open loop: `rate` requests a second for `seconds`, each started on schedule whatever the
 * others are doing (a late tick starts every request that is due), so a stall shows up in the tail
 * instead of slowing the sender. Latency is from each request's start, by process.hrtime.
 */
export async function runOpenLoop(rate: number, seconds: number, task: OpenLoopTask): Promise<OpenLoopResult> {
  const samples: number[] = [];
  const total = Math.round(rate * seconds);
  let sent = 0;
  let failed = 0;
  let firstFailure: string | undefined;
  const pending = new Set<Promise<void>>();
  const started = process.hrtime.bigint();
  const launch = (): void => {
    sent++;
    const run = task().then(
      (ms) => void samples.push(ms),
      (error: unknown) => {
        failed++;
        firstFailure ??= error instanceof Error ? error.message : String(error);
      },
    );
    const tracked = run.finally(() => pending.delete(tracked));
    pending.add(tracked);
  };
  while (sent < total) {
    const elapsedS = Number(process.hrtime.bigint() - started) / 1e9;
    const due = Math.min(total, Math.floor(elapsedS * rate) + 1);
    while (sent < due) launch();
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(pending);
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    rate,
    seconds: elapsed,
    sent,
    ok: samples.length,
    failed,
    latencyMs: summarizeLatencies(samples),
    ...(firstFailure !== undefined ? { firstFailure } : {}),
  };
}

const elapsedMs = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;

/** POST `body` to `path` and read the whole answer; `isSuccess` judges the 2xx body. */
export function httpTask(pool: Pool, path: string, body: string, isSuccess: (text: string) => boolean): OpenLoopTask {
  return async () => {
    const start = process.hrtime.bigint();
    const response = await pool.request({ path, method: "POST", headers: { "content-type": "application/json", authorization: "Bearer bench" }, body });
    const text = await response.body.text();
    const ms = elapsedMs(start);
    if (response.statusCode !== 200 || !isSuccess(text)) throw new Error(`HTTP ${response.statusCode}: ${text.slice(0, 200)}`);
    return ms;
  };
}

/** POST a streaming chat completion and time the first content delta; the stream is read to [DONE]. */
export function sseTtftTask(pool: Pool, path: string, body: string): OpenLoopTask {
  return async () => {
    const start = process.hrtime.bigint();
    const response = await pool.request({ path, method: "POST", headers: { "content-type": "application/json", authorization: "Bearer bench" }, body });
    if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode}: ${(await response.body.text()).slice(0, 200)}`);
    const { ttftMs: ttft, done } = await readSseStream(response.body, start);
    if (ttft === undefined || !done) throw new Error(`stream ended without ${ttft === undefined ? "content" : "[DONE]"}`);
    return ttft;
  };
}

const SUBSCRIPTION = `subscription Bench($input: CompletionInput!) {
  completionStream(input: $input) { index delta done finishReason usage { completionTokens } costUsd }
}`;
const VARIABLES = { input: { model: "bench", messages: [{ role: "USER", content: "Tell the benchmark a story" }] } };

/** A `completionStream` subscription on the next of `clients`, timed to the first delta and read to `done`. */
export function wsTtftTask(clients: readonly Client[]): OpenLoopTask {
  let next = 0;
  return () => {
    const client = clients[next++ % clients.length]!;
    return new Promise<number>((resolve, reject) => {
      const start = process.hrtime.bigint();
      let ttft: number | undefined;
      let done = false;
      client.subscribe<{ completionStream?: { delta?: string | null; done?: boolean } | null }>(
        { query: SUBSCRIPTION, variables: VARIABLES },
        {
          next(result) {
            const chunk = result.data?.completionStream;
            if (ttft === undefined && typeof chunk?.delta === "string" && chunk.delta !== "") ttft = elapsedMs(start);
            if (chunk?.done === true) done = true;
          },
          error: (error) => reject(new Error(error instanceof Error ? error.message : JSON.stringify(error).slice(0, 200))),
          complete: () => (ttft !== undefined && done ? resolve(ttft) : reject(new Error("stream completed without a delta and done"))),
        },
      );
    });
  };
}
