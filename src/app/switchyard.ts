import type { CallLogWriter, Database, RollupMerger } from "../db/index.js";
import type { RunningServer } from "../server/create-server.js";
import type { Simulator } from "../simulator/index.js";

export interface Switchyard {
  /** The base URL for a client on this machine. */
  url: string;
  /** What is bound, e.g. `127.0.0.1:4000` or `0.0.0.0:4000` (every interface). */
  listening: string;
  database: Database;
  callLog: CallLogWriter;
  /** Folds the call log's rollup increments into call_rollups in the background. */
  rollupMerger: RollupMerger;
  simulator?: Simulator;
  server: RunningServer;
  /** Stops taking requests, drains the call log, closes everything it opened. */
  close(): Promise<void>;
}
