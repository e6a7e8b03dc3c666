import { summarizeLatencies, type LatencySummary } from "./latency-stats.js";

export interface StreamRunResult {
  streams: number;
  concurrency: number;
  ok: number;
  failed: number;
  seconds: number;
  streamsPerSecond: number;
  /** Request start (or subscribe) to the first non-empty content delta. */
  ttftMs: LatencySummary;
  /** Request start (or subscribe) to the end of the stream. */
  totalMs: LatencySummary;
  firstFailure?: string;
}

/** Collects per-stream outcomes of one run. */
export function createStreamTally(concurrency: number) {
  const ttft: number[] = [];
  const total: number[] = [];
  let failed = 0;
  let firstFailure: string | undefined;
  return {
    success(ttftMs: number, totalMs: number): void {
      ttft.push(ttftMs);
      total.push(totalMs);
    },
    failure(reason: string): void {
      failed++;
      firstFailure ??= reason;
    },
    result(seconds: number): StreamRunResult {
      return {
        streams: ttft.length + failed,
        concurrency,
        ok: ttft.length,
        failed,
        seconds,
        streamsPerSecond: ttft.length / seconds,
        ttftMs: summarizeLatencies(ttft),
        totalMs: summarizeLatencies(total),
        ...(firstFailure !== undefined ? { firstFailure } : {}),
      };
    },
  };
}

/** Runs `total` tasks, `concurrency` at a time (closed loop); resolves with the elapsed seconds. */
export async function runClosedLoop(total: number, concurrency: number, task: (index: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  const worker = async (): Promise<void> => {
    while (next < total) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  return Number(process.hrtime.bigint() - started) / 1e9;
}
