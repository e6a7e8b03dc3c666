import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, checkPgliteTemplate, createDatabase, findMigrationsFolder, writePgliteTemplate, queryRows } from "../../src/db/index.js";
import { copyMigrationsBefore } from "../../src/db/testing/copy-migrations-before.js";

// A first start of the embedded database loads the template the build migrated (dist/pglite-template.tar)
// instead of running initdb: the database it opens is the template's own (same system identifier), migrated.
const root = mkdtempSync(join(tmpdir(), "switchyard-template-test-"));
const migrations = findMigrationsFolder();
const journal = (JSON.parse(readFileSync(join(migrations, "meta", "_journal.json"), "utf8")) as { entries: Array<{ tag: string }> }).entries;
const migrationCount = journal.length;
const template = join(root, "template", "pglite-template.tar");
let templateId: string;

let dirs = 0;
const dataDir = () => join(root, `data-${++dirs}`, "pgdata");

function recordingLogger() {
  const lines: Array<{ level: string; message: string; object: object }> = [];
  const at = (level: string) => (object: object, message?: string) => void lines.push({ level, message: message ?? "", object });
  return { lines, logger: { error: at("error"), warn: at("warn"), info: at("info") } };
}

async function systemId(database: Database): Promise<string> {
  const result = await queryRows<{ id: string }>(database.db, sql`select system_identifier::text as id from pg_control_system()`);
  return result[0]!.id;
}

async function appliedMigrations(database: Database): Promise<number> {
  const result = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  return result[0]!.n;
}

/** Opens dataDir with the template as a start does, migrates, and reports what it found. */
async function start(dir: string, file: string) {
  const { lines, logger } = recordingLogger();
  const database = await createDatabase({ dataDir: dir, template: file, logger });
  try {
    await database.migrate();
    return { id: await systemId(database), migrations: await appliedMigrations(database), lines };
  } finally {
    await database.close();
  }
}

beforeAll(async () => {
  const description = await writePgliteTemplate(template);
  expect(description.migrations).toHaveLength(migrationCount);
  const database = await createDatabase({ loadDataDir: new Blob([readFileSync(template)]) });
  templateId = await systemId(database);
  await database.close();
}, 120_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("the migrated PGlite template", () => {
  it("creates a new data folder from the template, already migrated", async () => {
    expect(checkPgliteTemplate(template, migrations).kind).toBe("current");
    const first = await start(dataDir(), template);
    expect(first.id).toBe(templateId);
    expect(first.migrations).toBe(migrationCount);
    expect(first.lines.map((l) => l.message)).toContain("embedded database created from the migrated template");
  }, 120_000);

  it("leaves a folder that already holds a database as it is", async () => {
    const dir = dataDir();
    await start(dir, template);
    const database = await createDatabase({ dataDir: dir });
    await database.db.execute(sql`create table written_after_the_first_start (id int)`);
    await database.close();

    const again = await start(dir, template);
    expect(again.lines).toEqual([]);
    const reopened = await createDatabase({ dataDir: dir });
    const found = await queryRows<{ t: string | null }>(reopened.db, sql`select to_regclass('written_after_the_first_start')::text as t`);
    await reopened.close();
    expect(found[0]!.t).toBe("written_after_the_first_start");
  }, 120_000);

  it("applies the migrations a template built before them does not hold", async () => {
    // A drizzle/ folder without its last migration, as when the template was built before it was added.
    const older = copyMigrationsBefore(journal.at(-1)!.tag);
    const behind = join(root, "behind", "pglite-template.tar");
    try {
      await writePgliteTemplate(behind, older.folder);
    } finally {
      older.remove();
    }
    expect(checkPgliteTemplate(behind, migrations)).toMatchObject({ kind: "behind", missing: 1 });

    const first = await start(dataDir(), behind);
    expect(first.lines.map((l) => l.message)).toContain("embedded database created from the migrated template");
    expect(first.migrations).toBe(migrationCount);
  }, 120_000);

  it("passes over a template built from migrations drizzle/ does not have, saying why", async () => {
    const other = join(root, "other", "pglite-template.tar");
    mkdirSync(join(root, "other"));
    cpSync(template, other);
    const description = JSON.parse(readFileSync(`${template}.json`, "utf8")) as { migrations: Array<{ when: number; hash: string }> };
    description.migrations[1]!.hash = "0".repeat(64);
    writeFileSync(`${other}.json`, JSON.stringify(description));
    expect(checkPgliteTemplate(other, migrations)).toEqual({ kind: "unusable", reason: "its migration 2 is not the one in drizzle/" });

    const first = await start(dataDir(), other);
    expect(first.id).not.toBe(templateId);
    expect(first.migrations).toBe(migrationCount);
    expect(first.lines).toEqual([expect.objectContaining({ level: "warn", object: expect.objectContaining({ reason: "its migration 2 is not the one in drizzle/" }) })]);
  }, 120_000);

  it("creates the database from scratch when there is no template", async () => {
    const missing = join(root, "missing", "pglite-template.tar");
    expect(checkPgliteTemplate(missing, migrations)).toEqual({ kind: "missing" });
    const first = await start(dataDir(), missing);
    expect(first.migrations).toBe(migrationCount);
    expect(first.lines.map((l) => l.level)).toEqual(["info"]);
  }, 120_000);

  it("refuses a template file that is not a tar archive, and one that fails to load falls back to a new database", async () => {
    const junk = join(root, "junk", "pglite-template.tar");
    mkdirSync(join(root, "junk"));
    writeFileSync(junk, Buffer.alloc(4096, 7));
    writeFileSync(`${junk}.json`, readFileSync(`${template}.json`, "utf8").replace(/"bytes": \d+/, '"bytes": 4096'));
    expect(checkPgliteTemplate(junk, migrations)).toMatchObject({ kind: "unusable", reason: expect.stringContaining("not a tar archive") });

    // A tar cut short: it passes the checks on its description's size, and PGlite fails to start from it.
    const cut = join(root, "cut", "pglite-template.tar");
    mkdirSync(join(root, "cut"));
    const bytes = readFileSync(template).subarray(0, 5_000_000);
    writeFileSync(cut, bytes);
    writeFileSync(`${cut}.json`, readFileSync(`${template}.json`, "utf8").replace(/"bytes": \d+/, `"bytes": ${bytes.length}`));
    expect(checkPgliteTemplate(cut, migrations).kind).toBe("current");
    const first = await start(dataDir(), cut);
    expect(first.id).not.toBe(templateId);
    expect(first.migrations).toBe(migrationCount);
    expect(first.lines.map((l) => l.message)).toContain("loading the migrated database template failed: creating the embedded database from scratch");
  }, 120_000);
});
