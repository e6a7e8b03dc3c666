import type { Logger } from "pino";
import { ConfigError, loadConfig, type Config, type RuntimeSettings } from "../config/index.js";
import { chooseLogFormat, createLogger } from "../logging/create-logger.js";
import cluster from "node:cluster";
import { announceStart } from "./announce-start.js";
import { applyHeapGrowth } from "./apply-heap-growth.js";
import { drainOnSignals } from "./drain-on-signals.js";
import { servePrimary, serveWorker } from "./serve-cluster.js";
import { DEFAULT_STATE_DIR, type StartOptions } from "./start-options.js";
import { startSwitchyard } from "./start-switchyard.js";
import { handOverSpillFiles, workerCount } from "./worker-slots.js";

/** The process's logger for a config: level from the config, format from LOG_FORMAT or the terminal, the config's secrets redacted. */
export function processLogger(config: Config, settings: RuntimeSettings): Logger {
  return createLogger({
    level: config.logging.level,
    format: chooseLogFormat(settings.env.LOG_FORMAT, process.stdout.isTTY === true),
    secrets: configSecrets(config, settings.masterKey),
  });
}

/** Every credential the config holds (and the master key): never logged as it is. */
export function configSecrets(config: Config, masterKey?: string): string[] {
  const secrets: Array<string | undefined> = [masterKey];
  for (const group of config.models) for (const d of group.deployments) secrets.push(d.apiKey, d.secretAccessKey, d.sessionToken);
  for (const url of [config.database.url, config.state.redis.url]) {
    try {
      if (url) secrets.push(decodeURIComponent(new URL(url).password) || undefined);
    } catch {
      // Not a URL: the config check reports it.
    }
  }
  return secrets.filter((s): s is string => typeof s === "string" && s !== "");
}

/** Loads the config or exits 1 with every problem listed. */
export function loadConfigOrExit(settings: RuntimeSettings): Config {
  try {
    return loadConfig({ path: settings.configPath, env: settings.env });
  } catch (error) {
    if (ConfigError.isInstance(error)) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/**
 * `switchyard serve` (and `npm start`): start, print the banner, and shut down cleanly on
 * SIGTERM/SIGINT. With server.workers above 1 this process becomes the cluster's primary and each
 * worker (the same command, forked) serves the port (serve-cluster.ts).
 */
export async function serveProcess(settings: RuntimeSettings): Promise<void> {
  const config = loadConfigOrExit(settings);
  const logger = processLogger(config, settings);
  applyHeapGrowth(config.server.heapGrowthPercent);
  if (cluster.isWorker) return serveWorker(startOptions(config, logger, settings));
  const workers = workerCount(config.server.workers);
  if (workers > 1) return servePrimary(settings, config, logger, workers);

  handOverSpillFiles(DEFAULT_STATE_DIR, 1, logger);
  const switchyard = await startSwitchyard(startOptions(config, logger, settings));
  announceStart(config, settings, logger, { url: switchyard.url, listening: switchyard.listening, database: switchyard.database.kind });
  drainOnSignals(switchyard, config, logger);
}

/** What startSwitchyard takes from the config and the runtime settings. */
export function startOptions(config: Config, logger: Logger, settings: RuntimeSettings): StartOptions {
  return {
    config,
    logger,
    ...(settings.masterKey ? { masterKey: settings.masterKey } : {}),
    ...(settings.telemetry ? { telemetry: settings.telemetry } : {}),
  };
}

/** How a start that failed is told: a config's problems as they are, anything else in one line. */
export function reportStartFailure(error: unknown): never {
  if (ConfigError.isInstance(error)) process.stderr.write(`${error.message}\n`);
  else process.stderr.write(`Switchyard failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
