import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openBenchDatabase } from "./bench-database.js";
import { type BenchSettings, readBenchSettings } from "./bench-settings.js";
import { type ChildHandle, stopAllChildren } from "./spawn-child.js";
import { spawnGateway } from "./spawn-gateway.js";
import { spawnSimulator } from "./spawn-simulator.js";
import { formatCpuProfileSummary, newestCpuProfile, readCpuProfile, summarizeCpuProfile } from "./summarize-cpu-profile.js";

const root = fileURLToPath(new URL("../..", import.meta.url));

/**
 * For the one-part benchmarks: a scratch database, the simulator and Switchyard in their own
 * processes (the gateway under --cpu-prof with BENCH_CPU_PROF), `run`, then everything stopped
 * and dropped, and the gateway's profile summarised (top `profileTop` functions).
 */
export async function withBenchProcesses(
  run: (processes: { settings: BenchSettings; simulator: ChildHandle; gateway: ChildHandle }) => Promise<void>,
  profileTop = 25,
): Promise<void> {
  const settings = readBenchSettings(process.env, join(tmpdir(), "switchyard-bench-profiles"));
  const tempDir = mkdtempSync(join(tmpdir(), "switchyard-bench-"));
  const startedAt = Date.now();
  if (settings.cpuProfileDir !== undefined) mkdirSync(settings.cpuProfileDir, { recursive: true });
  const database = await openBenchDatabase({ ...(settings.databaseUrl ? { databaseUrl: settings.databaseUrl } : {}), tempDir });
  try {
    const simulator = await spawnSimulator({ root, tempDir });
    const gateway = await spawnGateway({ root, tempDir, simulatorUrl: simulator.url, database, ...(settings.cpuProfileDir ? { cpuProfileDir: settings.cpuProfileDir } : {}) });
    await run({ settings, simulator, gateway });
    await gateway.stop();
    await simulator.stop();
    const profile = settings.cpuProfileDir === undefined ? undefined : newestCpuProfile(settings.cpuProfileDir, startedAt);
    if (profile) for (const line of formatCpuProfileSummary(summarizeCpuProfile(readCpuProfile(profile), profileTop))) console.log(line);
  } finally {
    await stopAllChildren();
    await database.drop();
    rmSync(tempDir, { recursive: true, force: true });
  }
}
