/** Time that moves only when a test says so: `now`, `setTimer` and `sleep` for code that takes them as parameters. */
export interface ManualClock {
  now(): number;
  setTimer(callback: () => void, ms: number): () => void;
  sleep(ms: number): Promise<void>;
  /** Timers waiting, soonest first (their delays from now). */
  pending(): number[];
  /**
   * Moves time forward by `ms`, firing each timer due on the way in order, and lets the promise
   * jobs each one starts run (through real macrotask turns, so file and socket I/O settle too).
   */
  advance(ms: number): Promise<void>;
  /** Lets pending promise jobs and I/O callbacks run without moving time. */
  settle(): Promise<void>;
}

export function createManualClock(start = Date.parse("2025-03-01T00:00:00.000Z")): ManualClock {
  let time = start;
  let sequence = 0;
  const timers = new Map<number, { at: number; callback: () => void }>();
  const settle = async () => {
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
  };
  const setTimer = (callback: () => void, ms: number) => {
    const id = ++sequence;
    timers.set(id, { at: time + Math.max(0, ms), callback });
    return () => void timers.delete(id);
  };
  return {
    now: () => time,
    setTimer,
    sleep: (ms) => new Promise<void>((resolve) => setTimer(resolve, ms)),
    pending: () => [...timers.values()].map((timer) => timer.at - time).sort((a, b) => a - b),
    settle,
    async advance(ms) {
      const until = time + ms;
      await settle();
      for (;;) {
        const due = [...timers.entries()].filter(([, timer]) => timer.at <= until).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
        if (!due) break;
        timers.delete(due[0]);
        time = Math.max(time, due[1].at);
        due[1].callback();
        await settle();
      }
      time = until;
    },
  };
}
