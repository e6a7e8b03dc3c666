import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BenchDatabase } from "./bench-database.js";
import { gatewayConfigHead } from "./gateway-config-head.js";
import { spawnNodeChild, type ChildHandle } from "./spawn-child.js";

export interface SpawnGatewayOptions {
  root: string;
  tempDir: string;
  simulatorUrl: string;
  database: BenchDatabase;
  /** When set, the gateway runs under `node --cpu-prof` and writes its profile here on exit. */
  cpuProfileDir?: string;
  /** Three deployments, two of them failing 30% of the time (the chaos run). */
  chaos?: boolean;
  /** A config of its own instead (built from the simulator's URL and the database). */
  config?: (simulatorUrl: string, database: BenchDatabase) => string;
  /** server.workers above 1: the gateway's worker processes, sharing this Redis (under a key prefix of the run's own). */
  workers?: { count: number; redisUrl: string };
  /** Node flags for this gateway (default: BENCH_GATEWAY_NODE_ARGS). */
  nodeArgs?: readonly string[];
  /** Run it (and its workers) on these CPUs only (taskset -c). */
  cpus?: string;
  /** Start it with this `ulimit -n` (bench/stream-limits.ts openFilesFor); absent, the bench's own. */
  openFiles?: number;
}

/** The gateway config of the benchmark: one group, one OpenAI deployment on the simulator, no retries. */
export function benchGatewayConfig(simulatorUrl: string, database: BenchDatabase): string {
  return [
    ...gatewayConfigHead(database),
    "models:",
    "  - name: bench",
    "    deployments:",
    "      - id: bench-openai",
    "        provider: openai",
    `        baseUrl: ${JSON.stringify(`${simulatorUrl}/v1`)}`,
    "        apiKey: bench",
    "        model: gpt-4o-mini",
    "router:",
    "  retries: 0",
    "",
  ].join("\n");
}

/** The chaos config: the same group with two flaky deployments beside a healthy one, retries and cooldowns on. */
export function chaosGatewayConfig(simulatorUrl: string, database: BenchDatabase): string {
  const deployment = (id: string, path: string) => [
    `      - id: ${id}`,
    "        provider: openai",
    `        baseUrl: ${JSON.stringify(`${simulatorUrl}${path}`)}`,
    "        apiKey: bench",
    "        model: gpt-4o-mini",
  ];
  return benchGatewayConfig(simulatorUrl, database)
    .replace(/    deployments:\n[\s\S]*?router:\n  retries: 0\n/, [
      "    deployments:",
      ...deployment("flaky-1", "/p/flaky/v1"),
      ...deployment("flaky-2", "/p/flaky/v1"),
      ...deployment("healthy", "/v1"),
      "router:",
      "  retries: 2",
      "  backoff: { baseMs: 5, maxMs: 50 }",
      "  cooldown: { failures: 3, windowMs: 1000, durationMs: 500 }",
      "",
    ].join("\n"));
}

/** The config (opening with gatewayConfigHead) with `server.workers` and the shared Redis that several workers need; as it is for one. */
export function withWorkers(config: string, workers: SpawnGatewayOptions["workers"]): string {
  if (workers === undefined || workers.count <= 1) return config;
  const keyPrefix = `switchyard-bench:${randomBytes(4).toString("hex")}:`;
  return config
    .replace("server:\n  host: 127.0.0.1\n", `server:\n  host: 127.0.0.1\n  workers: ${workers.count}\n`)
    .concat(`state:\n  redis:\n    url: ${JSON.stringify(workers.redisUrl)}\n    keyPrefix: ${JSON.stringify(keyPrefix)}\n`);
}

/** The node flags `npm start` and the container image start Switchyard with (package.json, Dockerfile). */
export const SHIPPED_NODE_ARGS: readonly string[] = ["--max-semi-space-size=32"];

/** Node flags for the gateway alone: BENCH_GATEWAY_NODE_ARGS (space-separated, "" for none: V8 heap flags measured against each other), else as shipped. */
const gatewayNodeArgs = (): readonly string[] => process.env.BENCH_GATEWAY_NODE_ARGS?.split(" ").filter((arg) => arg !== "") ?? SHIPPED_NODE_ARGS;

/** Switchyard as it ships (`node --max-semi-space-size=32 dist/src/main.js --config …`) on a free port. */
export function spawnGateway(options: SpawnGatewayOptions): Promise<ChildHandle> {
  const configPath = join(options.tempDir, "switchyard.bench.yaml");
  const configOf = options.config ?? (options.chaos ? chaosGatewayConfig : benchGatewayConfig);
  writeFileSync(configPath, withWorkers(configOf(options.simulatorUrl, options.database), options.workers));
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: "0" };
  // The config names the database; an inherited DATABASE_URL must not override an embedded one.
  delete env.DATABASE_URL;
  delete env.SWITCHYARD_CONFIG;
  const profiling = options.cpuProfileDir !== undefined ? ["--cpu-prof", "--cpu-prof-interval", "250", "--cpu-prof-dir", options.cpuProfileDir] : [];
  return spawnNodeChild({
    name: "switchyard",
    args: [...(options.nodeArgs ?? gatewayNodeArgs()), ...profiling, join(options.root, "dist/src/main.js"), "--config", configPath],
    env,
    // Spill files of the call log (if any) land in the temp folder, not in the checkout.
    cwd: options.tempDir,
    readyPattern: /Switchyard on (http:\/\/\S+)/,
    readyTimeoutMs: 60_000,
    ...(options.cpus !== undefined ? { cpus: options.cpus } : {}),
    ...(options.openFiles !== undefined ? { openFiles: options.openFiles } : {}),
  });
}
