import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type SQL, sql } from "drizzle-orm";
import { afterEach, beforeEach } from "vitest";
import type { DrizzleDb } from "../../src/db/index.js";
import { useTestDatabase } from "../helpers/use-test-database.js";

/** What a call log writer test writes to: the file's test database, emptied before each test, and a spill folder of each test's own. */
export interface CallLogTestStore {
  readonly db: DrizzleDb;
  readonly spillDir: string;
  /** The database's URL on a Postgres server (absent on PGlite). */
  readonly url: string | undefined;
  rows<T>(query: SQL): Promise<T[]>;
  /** Rows in `calls`. */
  callCount(): Promise<number>;
  /** The spill folder's files whose names start with `prefix` (none when the folder is gone). */
  spillFiles(prefix: string): Promise<string[]>;
}

/** Registers the hooks of a call log writer test file (call it inside its describe); `spillPrefix` names the temp folders. */
export function useCallLogTestStore(spillPrefix: string): CallLogTestStore {
  const test = useTestDatabase();
  let spillDir: string | undefined;
  beforeEach(async () => {
    await test.database.db.execute(sql`truncate calls, call_attempts, call_rollups, call_rollup_deltas cascade`);
    spillDir = await mkdtemp(join(tmpdir(), spillPrefix));
  });
  afterEach(async () => {
    await rm(spillDir!, { recursive: true, force: true });
  });

  const store: CallLogTestStore = {
    get db() {
      return test.database.db;
    },
    get spillDir() {
      return spillDir!;
    },
    get url() {
      return test.url;
    },
    rows: async <T>(query: SQL): Promise<T[]> => ((await test.database.db.execute(query)) as unknown as { rows: T[] }).rows,
    callCount: async () => (await store.rows<{ n: number }>(sql`select count(*)::int as n from calls`))[0]!.n,
    spillFiles: async (prefix) => (await readdir(spillDir!).catch(() => [] as string[])).filter((name) => name.startsWith(prefix)),
  };
  return store;
}
