import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BenchDatabase } from "./bench-database.js";
import { spawnNodeChild, type ChildHandle } from "./spawn-child.js";

export interface SpawnGatewayOptions {
  root: string;
  tempDir: string;
  simulatorUrl: string;
  database: BenchDatabase;
  /** When set, the gateway runs under `node --cpu-prof` and writes its profile here on exit. */
  cpuProfileDir?: string;
}

/** The gateway config of the benchmark: one group, one OpenAI deployment on the simulator, no retries. */
export function benchGatewayConfig(simulatorUrl: string, database: BenchDatabase): string {
  const databaseBlock = database.url !== undefined ? `  url: ${JSON.stringify(database.url)}` : `  dataDir: ${JSON.stringify(database.dataDir)}`;
  return [
    "server:",
    "  host: 127.0.0.1",
    "logging:",
    "  level: warn",
    "database:",
    databaseBlock,
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

/** Switchyard as it ships (`node dist/src/main.js --config …`) on a free port. */
export function spawnGateway(options: SpawnGatewayOptions): Promise<ChildHandle> {
  const configPath = join(options.tempDir, "switchyard.bench.yaml");
  writeFileSync(configPath, benchGatewayConfig(options.simulatorUrl, options.database));
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: "0" };
  // The config names the database; an inherited DATABASE_URL must not override an embedded one.
  delete env.DATABASE_URL;
  delete env.SWITCHYARD_CONFIG;
  const profiling = options.cpuProfileDir !== undefined ? ["--cpu-prof", "--cpu-prof-dir", options.cpuProfileDir] : [];
  return spawnNodeChild({
    name: "switchyard",
    args: [...profiling, join(options.root, "dist/src/main.js"), "--config", configPath],
    env,
    // Spill files of the call log (if any) land in the temp folder, not in the checkout.
    cwd: options.tempDir,
    readyPattern: /Switchyard on (http:\/\/\S+)/,
    readyTimeoutMs: 60_000,
  });
}
