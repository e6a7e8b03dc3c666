import type { Logger } from "pino";
import type { Config, RuntimeSettings } from "../config/index.js";
import { formatBanner } from "./format-banner.js";

export interface Started {
  url: string;
  listening: string;
  /** "postgres" or "pglite". */
  database: string;
  /** Cluster workers' pids, when server.workers is above 1. */
  workerPids?: number[];
}

/** Once per start (by the primary when there are workers): the "listening" log line, the open-mode warning and the banner. */
export function announceStart(config: Config, settings: RuntimeSettings, logger: Logger, started: Started): void {
  const { url, listening, workerPids } = started;
  logger.info(
    {
      url,
      listening,
      database: started.database,
      config: settings.configPath,
      auth: settings.masterKey ? "master key" : "open dev mode",
      ...(workerPids ? { workers: workerPids.length, pids: workerPids } : {}),
    },
    "Switchyard is listening",
  );
  if (!settings.masterKey) {
    logger.warn({ listening }, "No master key configured: running in OPEN DEV MODE (anyone who can reach this port is admin). Set SWITCHYARD_MASTER_KEY to require keys.");
  }
  process.stdout.write(
    formatBanner({ config, url, listening, masterKey: settings.masterKey !== undefined, configPath: settings.configPath, ...(workerPids ? { workers: workerPids.length } : {}) }),
  );
}
