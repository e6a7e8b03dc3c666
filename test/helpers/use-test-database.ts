import { onTestFinished } from "vitest";
import { createTestDatabase, type TestDatabase } from "./test-database.js";
import { useForBlock } from "./use-for-block.js";

/** A test database that its hooks dispose of: `database` and `url` (see TestDatabase). */
export type OpenTestDatabase = Pick<TestDatabase, "database" | "url">;

/**
 * Registers the hooks that open a createTestDatabase() before the tests of the file or describe block it is
 * called in and dispose of it after them (useForBlock). Hooks registered after this call run after the database
 * is open and before it is disposed, so they may seed it or close what uses it.
 * `migrationsFolder`: see createTestDatabase; a function is read when the database is opened.
 */
export function useTestDatabase(options: { migrationsFolder?: string | (() => string) } = {}): OpenTestDatabase {
  const open = useForBlock(
    "test database",
    () => {
      const folder = typeof options.migrationsFolder === "function" ? options.migrationsFolder() : options.migrationsFolder;
      return createTestDatabase(folder === undefined ? {} : { migrationsFolder: folder });
    },
    (test) => test.dispose(),
  );
  return {
    get database() {
      return open().database;
    },
    get url() {
      return open().url;
    },
  };
}

/** A createTestDatabase() of the running test's own (call it inside the test), disposed when the test finishes. */
export async function openTestDatabaseForTest(options: { migrationsFolder?: string } = {}): Promise<OpenTestDatabase> {
  const test = await createTestDatabase(options);
  onTestFinished(() => test.dispose());
  return test;
}
