import { afterEach, describe, expect, it, vi } from "vitest";
import { startRepeatingJob } from "./repeating-job.js";

describe("startRepeatingJob", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("runs every interval, logs a failed run with its message and runs again at the next one", async () => {
    vi.useFakeTimers();
    const warnings: Array<[unknown, string | undefined]> = [];
    let runs = 0;
    const job = startRepeatingJob(
      async () => {
        runs += 1;
        if (runs === 2) throw new Error("database away");
        return runs;
      },
      { intervalMs: 1_000, logger: { warn: (object, message) => void warnings.push([object, message]) }, failure: "chore failed; will retry" },
    );
    await vi.advanceTimersByTimeAsync(999);
    expect(runs).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs).toBe(2);
    expect(warnings).toEqual([[{ err: "database away" }, "chore failed; will retry"]]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs).toBe(3);
    await job.close();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(runs).toBe(3);
  });

  it("runs one at a time: run() during a run answers with that run, and close() waits for it", async () => {
    let finish!: (value: string) => void;
    let started = 0;
    const job = startRepeatingJob(
      () => {
        started += 1;
        return new Promise<string>((resolve) => (finish = resolve));
      },
      { intervalMs: 3_600_000, failure: "unused" },
    );
    const first = job.run();
    expect(job.run()).toBe(first);
    expect(started).toBe(1);
    let closed = false;
    const closing = job.close().then(() => (closed = true));
    expect(job.closed).toBe(true);
    await Promise.resolve();
    expect(closed).toBe(false);
    finish("done");
    await closing;
    expect(await first).toBe("done");
  });
});
