/**
 * Three gateway processes on one Postgres database and one Redis, writing calls together (issue 15's
 * benchmark; not part of CI or `npm run bench`).
 *
 *   node --import ./test/helpers/swc-node/register.mjs bench/three-gateways.ts [--mode record|http|both] [--seconds 20]
 *     [--rate CALLS_PER_S] [--gateways 3] [--connections 32] [--port 41700] [--redis redis://127.0.0.1:6379] [--name sy_…] [--keep] [--cpu-prof DIR]
 *
 * Creates a scratch database `sy_bench_gateways_<random>` (or `--name`) on DATABASE_URL (default: the
 * local server), migrates it, and starts each gateway as its own process (gateway-writer-child.ts:
 * startSwitchyard from a config file, as `switchyard serve` does) with the state store in Redis under a
 * key prefix of the run's own. Then, per mode:
 * - `record`: each process records synthetic calls (1–2 attempts each) through its own call log as
 *   fast as the writer stores them. This measures the write path (batches, attempts, rollup increments,
 *   the mergers of three instances) without an HTTP load generator on the same cores.
 * - `http`: autocannon sends chat completions to every gateway at once (a simulated deployment inside
 *   each gateway, answering at once), so calls take the whole request path, load generator included.
 * Reported: calls stored per second together; the time from the last call recorded (or answered) until
 * every process has stored its calls, and until the rollups are complete (no increment pending in
 * `call_rollup_deltas` and the rollups counting every call stored); CPU seconds of the gateways and
 * of Postgres (this database's backends, and every Postgres process, other databases included) over
 * the run, and the machine's load.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { createDatabase } from "../src/db/index.js";
import { LOCAL_POSTGRES_URL, runAdminStatement } from "./bench-database.js";
import { gatewayConfigHead } from "./gateway-config-head.js";
import { type PhaseFigures, runPhase } from "./run-phase.js";
import { type Gateway, startGateway } from "./start-gateway.js";

export async function runThreeGatewaysBench(options: {
  url: string;
  redisUrl: string;
  modes: Array<"record" | "http">;
  seconds: number;
  gateways: number;
  connections: number;
  /** Record mode: calls a second for all gateways together; none: as fast as the writers store. */
  rate?: number;
  port: number;
  name?: string;
  keep?: boolean;
  /** Each gateway runs under `node --cpu-prof` and writes its profile here when it closes. */
  cpuProfileDir?: string;
  log: (line: string) => void;
}) {
  const { url, log } = options;
  const name = options.name ?? `sy_bench_gateways_${randomBytes(5).toString("hex")}`;
  await runAdminStatement(url, `create database ${name}`);
  const scratch = new URL(url);
  scratch.pathname = `/${name}`;
  const tempDir = mkdtempSync(join(tmpdir(), "sy-gateways-"));
  const database = await createDatabase({ url: scratch.toString(), poolMax: 2 });
  const gateways: Gateway[] = [];
  try {
    // Migrated once here, so the gateways do not race each other to it.
    await database.migrate();
    const configPath = join(tempDir, "switchyard.yaml");
    writeFileSync(
      configPath,
      [
        ...gatewayConfigHead({ url: scratch.toString() }),
        "state:",
        "  redis:",
        `    url: ${JSON.stringify(options.redisUrl)}`,
        `    keyPrefix: ${JSON.stringify(`${name}:`)}`,
        "models:",
        "  - name: bench",
        "    deployments:",
        "      - { id: sim, provider: simulator, model: gpt-4o-mini, simulate: { outputTokens: 12 } }",
        "router:",
        "  retries: 0",
        "",
      ].join("\n"),
    );
    for (let i = 0; i < options.gateways; i++) gateways.push(await startGateway(i, configPath, options.port + i, join(tempDir, `state-${i}`), options.cpuProfileDir));
    log(`three-gateways: ${options.gateways} gateway processes on ${name} and Redis ${new URL(options.redisUrl).host}; ${options.seconds} s per mode; load average ${loadavg().map((v) => v.toFixed(2)).join(", ")}`);
    const phases: PhaseFigures[] = [];
    for (const mode of options.modes) {
      phases.push(await runPhase({ mode, gateways, db: database.db, databaseName: name, seconds: options.seconds, connections: options.connections, ...(options.rate === undefined ? {} : { rate: options.rate }), log }));
    }
    return { name: "three-gateways", database: name, phases };
  } finally {
    await Promise.all(
      gateways.map(async (gateway) => {
        const exited = new Promise((resolve) => (gateway.child.exitCode === null ? gateway.child.once("exit", resolve) : resolve(undefined)));
        gateway.send({ type: "close" });
        // It exits by itself once closed (and writes its --cpu-prof profile); killed only if it does not.
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 30_000))]);
        if (gateway.child.exitCode === null) gateway.child.kill();
      }),
    );
    await database.close();
    rmSync(tempDir, { recursive: true, force: true });
    if (options.keep) log(`  kept scratch database ${name}`);
    else await runAdminStatement(url, `drop database if exists ${name} with (force)`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { values } = parseArgs({
    options: {
      mode: { type: "string" },
      seconds: { type: "string" },
      gateways: { type: "string" },
      connections: { type: "string" },
      rate: { type: "string" },
      port: { type: "string" },
      redis: { type: "string" },
      name: { type: "string" },
      keep: { type: "boolean" },
      "cpu-prof": { type: "string" },
    },
  });
  const mode = values.mode ?? "both";
  const result = await runThreeGatewaysBench({
    url: process.env.DATABASE_URL || LOCAL_POSTGRES_URL,
    redisUrl: values.redis ?? "redis://127.0.0.1:6379",
    modes: mode === "both" ? ["record", "http"] : [mode as "record" | "http"],
    seconds: Number(values.seconds ?? 20),
    gateways: Number(values.gateways ?? 3),
    connections: Number(values.connections ?? 32),
    ...(values.rate === undefined ? {} : { rate: Number(values.rate) }),
    port: Number(values.port ?? 41700),
    ...(values.name === undefined ? {} : { name: values.name }),
    keep: values.keep ?? false,
    ...(values["cpu-prof"] === undefined ? {} : { cpuProfileDir: values["cpu-prof"] }),
    log: (line) => console.log(line),
  });
  console.log(JSON.stringify(result));
}
