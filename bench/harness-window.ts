import { cpuMicros, machineCpuTicks } from "./process-cpu.js";
import type { OpenLoopResult } from "./open-loop.js";

/** What else ran on the machine while one open-loop run was measured. */
export interface HarnessWindow {
  /** CPU used by each named process (or group of processes) over the run, % of one core. */
  processCpuPercent: Record<string, number>;
  /** Busy time of the whole machine over the run (every process, anyone's), % of all its cores. */
  machineBusyPercent: number;
}

/** Starts a window over `processes` (name → pids, summed); `stop()` gives their CPU and the machine's. */
export function openHarnessWindow(processes: Record<string, readonly number[]>): { stop(): HarnessWindow } {
  const started = process.hrtime.bigint();
  const cpuOf = (pids: readonly number[]): number => pids.reduce((sum, pid) => sum + cpuMicros(pid), 0);
  const cpuBefore = Object.entries(processes).map(([name, pids]) => [name, pids, cpuOf(pids)] as const);
  const machineBefore = machineCpuTicks();
  return {
    stop() {
      const wallMicros = Number(process.hrtime.bigint() - started) / 1000;
      const machine = machineCpuTicks();
      return {
        processCpuPercent: Object.fromEntries(cpuBefore.map(([name, pids, before]) => [name, (100 * (cpuOf(pids) - before)) / wallMicros])),
        machineBusyPercent: (100 * (machine.busy - machineBefore.busy)) / Math.max(1, machine.total - machineBefore.total),
      };
    },
  };
}

/**
 * The generator's side of a row: how late its own event loop ran (p99 / longest, past a 1 ms timer),
 * its GC pauses, how late it launched requests (p99), and the CPU of each process and of the machine.
 * A generator stall of N ms can add up to N ms to any request in flight during it.
 */
export function formatHarness(result: OpenLoopResult, window?: HarnessWindow): string {
  const g = result.generator;
  const cpu = window
    ? `; CPU ${Object.entries(window.processCpuPercent).map(([name, percent]) => `${name} ${percent.toFixed(0)}%`).join(" ")}, machine ${window.machineBusyPercent.toFixed(0)}%`
    : "";
  return `gen loop late p99 ${g.loopDelay.p99Ms.toFixed(2)} max ${g.loopDelay.maxMs.toFixed(2)} ms, GC ${g.gc.pauses} max ${g.gc.maxMs.toFixed(2)} ms, launch lag p99 ${result.launchLagMs.p99.toFixed(2)} ms${cpu}`;
}
