import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import { databaseOptions } from "../app/database-options.js";
import { loadConfigOrExit, serveProcess } from "../app/serve-process.js";
import { loadConfig, readRuntimeSettings, type RuntimeSettings } from "../config/index.js";
import { createDatabase } from "../db/index.js";
import { SUPPORTED_PROVIDERS } from "../providers/create-adapter.js";
import { processIo } from "../routing/quality/router-command-io.js";
import { runRouterEval } from "../routing/quality/run-router-eval.js";
import { runRouterScore } from "../routing/quality/run-router-score.js";
import { runRouterTrain } from "../routing/quality/run-router-train.js";
import { createAdminClient } from "./admin-client.js";
import { addKeyCommands, addTeamCommands } from "./admin-commands.js";

/** The package folder (where package.json is), from src/cli or dist/src/cli alike. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json")) || JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).name !== "switchyard") {
    const parent = dirname(dir);
    if (parent === dir) throw new Error("cannot find the switchyard package folder");
    dir = parent;
  }
  return dir;
}

/** `switchyard …`: every command, with --help on each. */
export function buildCli(env: NodeJS.ProcessEnv = process.env): Command {
  const program = new Command("switchyard")
    .description("An LLM gateway with a GraphQL face: routing, retries, failover, budgets and a call log in Postgres.")
    .version(JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")).version)
    .option("-c, --config <path>", "the config file (default: SWITCHYARD_CONFIG or config/switchyard.yaml)")
    .option("--url <url>", "a running Switchyard, for keys and teams (default: SWITCHYARD_URL or http://127.0.0.1:<server.port>)")
    .showHelpAfterError();
  const settings = (): RuntimeSettings => readRuntimeSettings(program.opts().config ? ["--config", program.opts().config] : [], env);
  const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

  program
    .command("serve")
    .description("start the gateway (what npm start runs): banner, logs, clean shutdown on SIGTERM/SIGINT")
    .action(async () => serveProcess(settings()));

  program
    .command("migrate")
    .description("apply the database migrations that have not run yet (DATABASE_URL or the embedded PGlite folder), then exit")
    .action(async () => {
      const config = loadConfigOrExit(settings());
      const database = await createDatabase(databaseOptions(config));
      try {
        await database.migrate();
      } finally {
        await database.close();
      }
      process.stdout.write(`migrations applied (${database.kind === "postgres" ? "Postgres" : `embedded PGlite in ${config.database.dataDir}`})\n`);
    });

  program
    .command("config")
    .description("work with the config file")
    .command("check")
    .description("validate the config: every problem at once, exit 1 when there is one")
    .action(() => {
      const current = settings();
      const config = loadConfigOrExit(current);
      const unsupported = config.models.flatMap((group, g) =>
        group.deployments.flatMap((d, i) => (SUPPORTED_PROVIDERS.has(d.provider) ? [] : [`models[${g}].deployments[${i}].provider: provider "${d.provider}" is not supported by this build yet`])),
      );
      if (unsupported.length > 0) {
        process.stderr.write(`Invalid config (${current.configPath}):\n${unsupported.map((p) => `  - ${p}`).join("\n")}\n`);
        process.exit(1);
      }
      const deployments = config.models.reduce((n, group) => n + group.deployments.length, 0);
      process.stdout.write(`${current.configPath}: OK (${config.models.length} model groups, ${deployments} deployments)\n`);
    });

  const client = () => {
    const current = settings();
    const url = program.opts().url ?? env.SWITCHYARD_URL ?? `http://127.0.0.1:${loadConfig({ path: current.configPath, env: current.env }).server.port}`;
    return createAdminClient(url, current.masterKey);
  };
  addKeyCommands(program, client, print);
  addTeamCommands(program, client, print);

  const router = program.command("router").description("the quality router: train, score, evaluate (see docs/quality-router.md)");
  const passThrough = (name: string, description: string, run: (args: string[], io: typeof processIo) => Promise<number>) =>
    router
      .command(name)
      .description(`${description} (options as for npm run router:${name}; --help there lists them)`)
      .helpOption(false)
      .allowUnknownOption()
      .argument("[args...]")
      .action(async (args: string[]) => {
        process.exitCode = await run(args, processIo);
      });
  passThrough("train", "train a router file from labelled prompts", runRouterTrain);
  passThrough("score", "score prompts with a router file", runRouterScore);
  passThrough("eval", "evaluate a router file against labelled prompts", runRouterEval);

  program
    .command("bench")
    .description("the gateway benchmark (what npm run bench runs); settings from the BENCH_* variables (README, Benchmark)")
    .action(() => {
      const root = packageRoot();
      for (const [file, args] of [
        [join(root, "scripts", "build-if-stale.mjs"), []],
        [join(root, "dist", "bench", "run.js"), []],
      ] as const) {
        const result = spawnSync(process.execPath, [file, ...args], { cwd: root, stdio: "inherit", env });
        if (result.status !== 0) process.exit(result.status ?? 1);
      }
    });
  return program;
}
