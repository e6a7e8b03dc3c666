import { readFileSync, readdirSync } from "node:fs";

export const TICKS_PER_SECOND = 100;

/** utime + stime of a process, in clock ticks (0 when it is gone). */
export function processTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

export function pidsNamed(name: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSafe("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim() === name) pids.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}

function readdirSafe(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

/** CPU ticks of a set of processes now, by pid. */
export const ticksOf = (pids: number[]) => new Map(pids.map((pid) => [pid, processTicks(pid)]));

/** CPU seconds since `before` of the processes still running (one that ended meanwhile is left out: its last figure is gone). */
export function spentSeconds(before: Map<number, number>, pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    const now = processTicks(pid);
    if (now > 0) ticks += now - (before.get(pid) ?? 0);
  }
  return ticks / TICKS_PER_SECOND;
}
