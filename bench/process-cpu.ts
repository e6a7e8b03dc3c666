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
