import type { Logger } from "pino";
import type { Config, TelemetrySettings } from "../config/index.js";
import type { Database } from "../db/index.js";
import type { StateStore } from "../state/index.js";
import type { Tracing } from "../telemetry/index.js";
import type { LoadScorer } from "./build-tier-policies.js";

/** Where the call log's spill files go unless StartOptions.stateDir says otherwise. */
export const DEFAULT_STATE_DIR = "./.switchyard";

export interface StartOptions {
  config: Config;
  logger: Logger;
  /** Overrides config.server.port (tests use 0). */
  port?: number;
  host?: string;
  /** An already open database (tests share one); otherwise opened from config.database. */
  database?: Database;
  /** An already open read replica of it; otherwise opened from config.database.readUrl when set. */
  readDatabase?: Database;
  /** Where spill files of the call log go when the database is down. */
  stateDir?: string;
  /** SWITCHYARD_MASTER_KEY (admin); absent = open dev mode. */
  masterKey?: string;
  /** Live counters, limits and reservations; otherwise Redis when config.state.redis.url is set, else in memory. */
  stateStore?: StateStore;
  /** Loads the router of quality and cascade groups ("builtin" or a router file's path). */
  loadScorer?: LoadScorer;
  /** Trace export from the OTEL_* variables (runtime settings); absent = tracing off. */
  telemetry?: TelemetrySettings;
  /** Spans go here instead (tests pass one over an in-memory exporter); wins over `telemetry`. */
  tracing?: Tracing;
  /**
   * Set in a cluster worker (server.workers > 1, see serve-cluster.ts): the primary applied the
   * migrations, the call log spills to the slot's own folder, answers carry `x-switchyard-worker`
   * (this process's pid) and /metrics sums every worker.
   */
  worker?: { slot: number };
}
