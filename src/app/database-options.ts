import type { Config } from "../config/index.js";
import { type CreateDatabaseOptions, type DatabaseLogger, pgliteTemplatePath } from "../db/index.js";

/**
 * How the config's database is opened (the server and `switchyard migrate`): Postgres at DATABASE_URL, or
 * embedded PGlite in database.dataDir, whose first start loads the database the build migrated
 * (dist/pglite-template.tar) instead of running initdb and every migration.
 */
export function databaseOptions(config: Config, logger?: DatabaseLogger): CreateDatabaseOptions {
  const log = logger ? { logger } : {};
  return config.database.url ? { url: config.database.url, ...log } : { dataDir: config.database.dataDir, template: pgliteTemplatePath(), ...log };
}
