import type { Logger } from "pino";
import { ConfigError, loadConfig, type Config, type RuntimeSettings } from "../config/index.js";
import { chooseLogFormat, createLogger } from "../logging/create-logger.js";
import { formatBanner } from "./format-banner.js";
import { startSwitchyard } from "./start-switchyard.js";

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

/** `switchyard serve` (and `npm start`): start, print the banner, and shut down cleanly on SIGTERM/SIGINT. */
export async function serveProcess(settings: RuntimeSettings): Promise<void> {
  const config = loadConfigOrExit(settings);
  const logger = processLogger(config, settings);
  const switchyard = await startSwitchyard({
    config,
    logger,
    ...(settings.masterKey ? { masterKey: settings.masterKey } : {}),
    ...(settings.telemetry ? { telemetry: settings.telemetry } : {}),
  });
  const { url, listening } = switchyard;
  logger.info({ url, listening, database: switchyard.database.kind, config: settings.configPath, auth: settings.masterKey ? "master key" : "open dev mode" }, "Switchyard is listening");
  if (!settings.masterKey) {
    logger.warn({ listening }, "No master key configured: running in OPEN DEV MODE (anyone who can reach this port is admin). Set SWITCHYARD_MASTER_KEY to require keys.");
  }
  process.stdout.write(formatBanner({ config, url, listening, masterKey: settings.masterKey !== undefined, configPath: settings.configPath }));

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: draining the call log");
    // Past the drain's grace, the call log gets 10 s to be written out (or spilled).
    const force = setTimeout(() => process.exit(1), config.server.shutdownGraceMs + 10_000);
    force.unref();
    switchyard.close().then(
      () => {
        logger.info("stopped");
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

/** How a start that failed is told: a config's problems as they are, anything else in one line. */
export function reportStartFailure(error: unknown): never {
  if (ConfigError.isInstance(error)) process.stderr.write(`${error.message}\n`);
  else process.stderr.write(`Switchyard failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
