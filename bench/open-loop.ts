import { Pool } from "undici";
import type { Client } from "graphql-ws";
import type { LatencySummary } from "./latency-stats.js";
import { LatencySamples } from "./latency-samples.js";
import { readSseStream } from "./read-sse-stream.js";
import { type OwnRuntime, watchOwnRuntime } from "./watch-own-runtime.js";

export interface OpenLoopResult {
  rate: number;
  seconds: number;
  sent: number;
  ok: number;
  failed: number;
  /** From the request's own launch to the answer (HTTP) or the first content (streams), µs timer. */
  latencyMs: LatencySummary;
  /** How late each request was launched against its schedule (request i is due i / rate after the start). */
  launchLagMs: LatencySummary;
  /**
   * From each request's scheduled start: launch lag plus latency, what a client arriving on schedule
   * saw. A generator that falls behind shows here and not in `latencyMs` (coordinated omission).
   */
  fromScheduleMs: LatencySummary;
  /** The generator's own event-loop delay and GC pauses during the run. */
  generator: OwnRuntime;
  firstFailure?: string;
}

/** One request of an open-loop run: resolves with its latency in ms, or rejects with why it failed. */
export type OpenLoopTask = () => Promise<number>;

/**
 * An open loop: `rate` requests a second for `seconds`, each started on schedule whatever the
 * others are doing (a late tick starts every request that is due), so a stall shows up in the tail
 * instead of slowing the sender. The loop sleeps on a timer until the next request is due (Node's
 * timers tick in whole milliseconds), so a request starts up to about a millisecond late even on an
 * idle machine: `launchLagMs` says how late. Latency is from each request's launch, by
 * process.hrtime; `fromScheduleMs` adds the lag. Samples go to arrays allocated up front and
 * in-flight requests are only counted, so the generator adds little garbage of its own; its
 * event-loop delay and GC pauses during the run are returned beside the figures.
 */
export async function runOpenLoop(rate: number, seconds: number, task: OpenLoopTask): Promise<OpenLoopResult> {
  const total = Math.round(rate * seconds);
  const latencies = new LatencySamples(total);
  const lags = new LatencySamples(total);
  const fromSchedule = new LatencySamples(total);
  let sent = 0;
  let failed = 0;
  let inFlight = 0;
  let drained: (() => void) | undefined;
  let firstFailure: string | undefined;
  const settle = (): void => {
    if (--inFlight === 0 && drained) drained();
  };
  const onFailure = (error: unknown): void => {
    failed++;
    firstFailure ??= error instanceof Error ? error.message : String(error);
    settle();
  };
  const runtime = watchOwnRuntime();
  const started = process.hrtime.bigint();
  const msPerRequest = 1000 / rate;
  while (sent < total) {
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    const due = Math.min(total, Math.floor(elapsedMs / msPerRequest) + 1);
    while (sent < due) {
      const lag = Math.max(0, elapsedMs - sent * msPerRequest);
      sent++;
      inFlight++;
      lags.add(lag);
      task().then((ms) => {
        latencies.add(ms);
        fromSchedule.add(ms + lag);
        settle();
      }, onFailure);
    }
    if (sent < total) await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.floor(sent * msPerRequest - elapsedMs))));
  }
  if (inFlight > 0) await new Promise<void>((resolve) => (drained = resolve));
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    rate,
    seconds: elapsed,
    sent,
    ok: latencies.count,
    failed,
    latencyMs: latencies.summary(),
    launchLagMs: lags.summary(),
    fromScheduleMs: fromSchedule.summary(),
    generator: runtime.stop(),
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
