import type { CallLogLogger } from "./call-log-writer-spec.js";

export interface RepeatingJobOptions {
  /** Pause between the end of one run and the start of the next (the first run starts one pause after the start). */
  intervalMs: number;
  logger?: Pick<CallLogLogger, "warn">;
  /** The warning a failed run is logged with (the failure itself goes in `err`); the next run is its retry. */
  failure: string;
}

export interface RepeatingJob<T> {
  /** Runs the job now, or answers with the run in progress: one run at a time. */
  run(): Promise<T>;
  /** True once close() was called; a long run reads it to stop early. */
  readonly closed: boolean;
  /** Stops repeating and waits for the run in progress (its failure left to whoever awaited it). */
  close(): Promise<void>;
}

/**
 * A database chore repeated in the background (the partition keeper, retention): `work` runs every
 * `intervalMs` on a timer that does not keep the process alive, and whenever run() asks for it.
 */
export function startRepeatingJob<T>(work: () => Promise<T>, options: RepeatingJobOptions): RepeatingJob<T> {
  const { intervalMs, logger, failure } = options;
  let running: Promise<T> | undefined;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;

  const run = (): Promise<T> => {
    running ??= work().finally(() => {
      running = undefined;
    });
    return running;
  };

  const schedule = () => {
    if (closed) return;
    timer = setTimeout(() => {
      run()
        .catch((error: unknown) => logger?.warn({ err: error instanceof Error ? error.message : String(error) }, failure))
        .finally(schedule);
    }, intervalMs);
    timer.unref();
  };
  schedule();

  return {
    run,
    get closed() {
      return closed;
    },
    async close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
