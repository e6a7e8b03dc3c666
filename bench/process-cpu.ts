import { readdirSync, readFileSync } from "node:fs";

/**
 * CPU time of every thread of `pid` so far, in µs, from /proc/<pid>/task/<tid>/schedstat (Linux only).
 * Threads that ended are not counted: Node's own live as long as the process.
 */
export function cpuMicros(pid: number): number {
  let ns = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return ns / 1000;
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
