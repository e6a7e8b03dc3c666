import "reflect-metadata";
import { pino } from "pino";
import { startSwitchyard } from "./app/start-switchyard.js";
import { ConfigError, loadConfig, readRuntimeSettings } from "./config/index.js";

/** Process entry: read settings and config, start, and shut down cleanly on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const settings = readRuntimeSettings();
  let config;
  try {
    config = loadConfig({ path: settings.configPath, env: settings.env });
  } catch (error) {
    if (ConfigError.isInstance(error)) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = pino({ level: config.logging.level, redact: ["*.apiKey", "*.authorization", "req.headers.authorization"] });
  const switchyard = await startSwitchyard({
    config,
    logger,
    ...(settings.masterKey ? { masterKey: settings.masterKey } : {}),
    ...(settings.telemetry ? { telemetry: settings.telemetry } : {}),
  });
  const database = config.database.url ? "Postgres (DATABASE_URL)" : `embedded PGlite (${config.database.dataDir})`;
  const { url, listening } = switchyard;
  logger.info({ url, listening, database, config: settings.configPath }, "Switchyard is listening");
  if (!settings.masterKey) {
    logger.warn({ listening }, "No master key configured: running in OPEN DEV MODE (anyone who can reach this port is admin). Set SWITCHYARD_MASTER_KEY to require keys.");
  }
  // The bound address as it is: 0.0.0.0 means every interface, not only this machine.
  const reach = /^(0\.0\.0\.0|\[::\]):/.test(listening) ? "every network interface" : "this address only";
  process.stdout.write(`\n  Switchyard on ${url}  —  playground: ${url}/graphql\n  listening on ${listening} (${reach})\n\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: draining the call log");
    // Past the drain's grace, the call log gets 10 s to be written out (or spilled).
    const force = setTimeout(() => process.exit(1), config.server.shutdownGraceMs + 10_000);
    force.unref();
    switchyard.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((error: unknown) => {
  if (ConfigError.isInstance(error)) process.stderr.write(`${error.message}\n`);
  else process.stderr.write(`Switchyard failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
