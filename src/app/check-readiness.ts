import type { CallLogWriter, Database } from "../db/index.js";
import type { Readiness } from "../server/create-server.js";

export interface ReadinessParts {
  database: Database;
  /** The Redis state store when one is configured: its ping counts. */
  redis?: { ping(): Promise<boolean> };
  stateStoreKind: "redis" | "custom" | "memory";
  /** Shared health (Redis): whether it is shared now or fell back to this instance's own. */
  healthShare?: { sharing(): boolean };
  readReplica?: Database;
  callLog: CallLogWriter;
  directory: { readonly openMode: boolean };
}

/** `/readyz`: ready when the database and the state store answer; the checks say what each part is doing. */
export function checkReadiness(parts: ReadinessParts): () => Promise<Readiness> {
  const { database, redis, healthShare, readReplica, callLog, directory } = parts;
  return async () => {
    const [databaseUp, stateUp] = await Promise.all([database.ping(), redis ? redis.ping() : true]);
    const auth = directory.openMode ? "OPEN DEV MODE: no SWITCHYARD_MASTER_KEY, anyone who can reach this port is admin" : "master key";
    return {
      ready: databaseUp && stateUp,
      checks: {
        database: databaseUp ? "up" : "down",
        databaseKind: database.kind,
        migrations: "applied",
        stateStore: stateUp ? "up" : "down",
        stateStoreKind: parts.stateStoreKind,
        ...(healthShare ? { health: healthShare.sharing() ? "shared" : "local (Redis unavailable)" } : {}),
        ...(readReplica ? { readReplica: (await readReplica.ping()) ? "up" : "down" } : {}),
        callLog: callLog.stats(),
        auth,
        openDevMode: directory.openMode,
      },
    };
  };
}
