import { readdirSync, readFileSync } from "node:fs";

/**
 * CPU time of every thread of `pid` so far, in µs, from /proc/<pid>/task/<tid>/schedstat (Linux only).
 * Threads that ended are not counted: Node's own live as long as the process.
 */
export function cpuMicros(pid: number): number {
  return schedMicros(pid).cpu;
}

/**
 * CPU time and run-queue wait (runnable, waiting for a core another process holds) of every thread
 * of `pid` so far, in µs, from the same schedstat files.
 */
export function schedMicros(pid: number): { cpu: number; wait: number } {
  let cpu = 0;
  let wait = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const fields = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ");
      cpu += Number(fields[0]);
      wait += Number(fields[1]);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return { cpu: cpu / 1000, wait: wait / 1000 };
}

/** Busy and total CPU time of the whole machine so far (all cores), in clock ticks, from /proc/stat. */
export function machineCpuTicks(): { busy: number; total: number } {
  const fields = readFileSync("/proc/stat", "utf8").split("\n", 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((sum, ticks) => sum + ticks, 0);
  // user nice system idle iowait irq softirq steal …: idle and iowait are not busy.
  return { busy: total - (fields[3] ?? 0) - (fields[4] ?? 0), total };
}

/**
 * CPU time of `pid` so far in µs, its main thread apart from the others (V8's compiler and GC helpers,
 * libuv's pool): a process still warming up spends much of its CPU off the main thread.
 */
export function cpuMicrosByThread(pid: number): { main: number; other: number } {
  let main = 0;
  let other = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const ns = Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
      if (Number(tid) === pid) main += ns / 1000;
      else other += ns / 1000;
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return { main, other };
}
