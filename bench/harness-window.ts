import { machineCpuTicks, schedMicros } from "./process-cpu.js";
import type { OpenLoopResult } from "./open-loop.js";

/** What else ran on the machine while one open-loop run was measured. */
export interface HarnessWindow {
  /** CPU used by each named process (or group of processes) over the run, % of one core. */
  processCpuPercent: Record<string, number>;
  /**
   * Time each named process's threads spent runnable but waiting for a core, % of the run's wall time:
   * CPU contention felt by that process (another process, anyone's, held the core).
   */
  processWaitPercent: Record<string, number>;
  /** Busy time of the whole machine over the run (every process, anyone's), % of all its cores. */
  machineBusyPercent: number;
}

/** Starts a window over `processes` (name → pids, summed); `stop()` gives their CPU and the machine's. */
export function openHarnessWindow(processes: Record<string, readonly number[]>): { stop(): HarnessWindow } {
  const started = process.hrtime.bigint();
  const schedOf = (pids: readonly number[]): { cpu: number; wait: number } =>
    pids.map(schedMicros).reduce((sum, one) => ({ cpu: sum.cpu + one.cpu, wait: sum.wait + one.wait }), { cpu: 0, wait: 0 });
  const before = Object.entries(processes).map(([name, pids]) => [name, pids, schedOf(pids)] as const);
  const machineBefore = machineCpuTicks();
  return {
    stop() {
      const wallMicros = Number(process.hrtime.bigint() - started) / 1000;
      const machine = machineCpuTicks();
      const after = before.map(([name, pids, earlier]) => [name, schedOf(pids), earlier] as const);
      return {
        processCpuPercent: Object.fromEntries(after.map(([name, now, earlier]) => [name, (100 * (now.cpu - earlier.cpu)) / wallMicros])),
        processWaitPercent: Object.fromEntries(after.map(([name, now, earlier]) => [name, (100 * (now.wait - earlier.wait)) / wallMicros])),
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
  const percents = (values: Record<string, number>): string => Object.entries(values).map(([name, percent]) => `${name} ${percent.toFixed(0)}%`).join(" ");
  const cpu = window ? `; CPU ${percents(window.processCpuPercent)}, machine ${window.machineBusyPercent.toFixed(0)}%; waiting for a core ${percents(window.processWaitPercent)}` : "";
  return `gen loop late p99 ${g.loopDelay.p99Ms.toFixed(2)} max ${g.loopDelay.maxMs.toFixed(2)} ms, GC ${g.gc.pauses} max ${g.gc.maxMs.toFixed(2)} ms, launch lag p99 ${result.launchLagMs.p99.toFixed(2)} ms${cpu}`;
}
