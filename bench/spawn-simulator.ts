import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { spawnNodeChild, type ChildHandle } from "./spawn-child.js";

/** The default profile the baseline and the gateway both hit: everything at once, 16 tokens. */
export const BENCH_SIMULATOR_PROFILE = { firstTokenMs: 0, tokensPerSecond: 0, outputTokens: 16 } as const;

/** 30% injected failures of the kinds a retry can fix, for the chaos run. */
export const BENCH_FLAKY_PROFILE = {
  ...BENCH_SIMULATOR_PROFILE,
  retryAfterMs: 100,
  failures: { rateLimit: 0.1, serverError: 0.1, unavailable: 0.05, reset: 0.05 },
} as const;

export interface SpawnSimulatorOptions {
  root: string;
  tempDir: string;
  seed?: number;
  /** More named profiles beside `default` and `flaky` (reached under /p/<name>). */
  profiles?: Record<string, object>;
  /** Serve h2c (HTTP/2 with prior knowledge) instead of HTTP/1.1. */
  http2?: boolean;
  /** Run it on these CPUs only (taskset -c). */
  cpus?: string;
  /** Start it with this `ulimit -n` (bench/stream-limits.ts openFilesFor); absent, the bench's own. */
  openFiles?: number;
}

/** The provider simulator in its own process, so its CPU is not the load generator's. */
export function spawnSimulator({ root, tempDir, seed = 1, profiles: more = {}, http2 = false, cpus, openFiles }: SpawnSimulatorOptions): Promise<ChildHandle> {
  const profiles = join(tempDir, "simulator-profiles.json");
  writeFileSync(profiles, JSON.stringify({ default: BENCH_SIMULATOR_PROFILE, flaky: BENCH_FLAKY_PROFILE, ...more }));
  return spawnNodeChild({
    name: "simulator",
    args: [join(root, "dist/src/simulator/cli.js"), "--port", "0", "--seed", String(seed), "--profiles", profiles, ...(http2 ? ["--http2"] : [])],
    env: { ...process.env },
    cwd: root,
    readyPattern: /SIMULATOR_URL=(\S+)/,
    ...(cpus !== undefined ? { cpus } : {}),
    ...(openFiles !== undefined ? { openFiles } : {}),
  });
}
