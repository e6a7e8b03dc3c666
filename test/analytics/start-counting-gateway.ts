import "reflect-metadata";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { drizzle as drizzleNodePg } from "drizzle-orm/node-postgres";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { print, type GraphQLFormattedError } from "graphql";
import type pg from "pg";
import { pino } from "pino";
import { startSwitchyard } from "../../src/app/start-switchyard.js";
import type { Switchyard } from "../../src/app/switchyard.js";
import { loadConfig } from "../../src/config/index.js";
import type { CallRecord } from "../../src/core/index.js";
import type { Database, DrizzleDb } from "../../src/db/index.js";
import { createTestDatabase } from "../helpers/test-database.js";

export interface CountingGateway {
  url: string;
  switchyard: Switchyard;
  execute<T, V>(document: TypedDocumentNode<T, V> | string, variables: V, key?: string | null): Promise<{ status: number; data?: T | null; errors?: GraphQLFormattedError[] }>;
  /** Runs `work` and returns the SQL statements the gateway sent meanwhile (the key directory's background refresh left out). */
  statementsDuring(work: () => Promise<unknown>): Promise<string[]>;
  /** Writes calls through the real call log (rows, attempts and rollups). */
  record(calls: CallRecord[]): Promise<void>;
  close(): Promise<void>;
}

// The key directory re-reads changed keys and teams every 500 ms, and the rollup merger takes pending
// increments every second (begin; delete … for update skip locked; the upserts into the rollups;
// commit), each on its own timer; those statements are not part of any GraphQL query.
const isBackgroundWork = (statement: string) =>
  /"updated_at" > \$1/.test(statement) ||
  /for update skip locked/i.test(statement) ||
  /^\s*insert into "?(call|attempt)_rollups"?/i.test(statement) ||
  /^\s*(begin|commit|rollback)\s*$/i.test(statement);

/** The real server over a test database whose drizzle handle counts every statement (a drizzle logger on the same driver). */
export async function startCountingGateway(configText: string, masterKey: string): Promise<CountingGateway> {
  const testDatabase = await createTestDatabase();
  const statements: string[] = [];
  const logger = { logQuery: (query: string) => void statements.push(query) };
  const client = (testDatabase.database.db as unknown as { $client: unknown }).$client;
  const db =
    testDatabase.database.kind === "pglite"
      ? drizzlePglite({ client: client as PGlite, logger })
      : drizzleNodePg({ client: client as pg.Pool, logger });
  const database: Database = { ...testDatabase.database, db: db as unknown as DrizzleDb };
  const stateDir = mkdtempSync(join(tmpdir(), "switchyard-analytics-"));
  const switchyard = await startSwitchyard({
    config: loadConfig({ text: configText, env: {} }),
    logger: pino({ level: "silent" }),
    port: 0,
    host: "127.0.0.1",
    database,
    stateDir,
    masterKey,
  });
  return {
    url: switchyard.url,
    switchyard,
    async execute(document, variables, key) {
      const chosen = key === undefined ? masterKey : key;
      const response = await fetch(`${switchyard.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(chosen ? { authorization: `Bearer ${chosen}` } : {}) },
        body: JSON.stringify({ query: typeof document === "string" ? document : print(document), variables }),
      });
      return { status: response.status, ...((await response.json()) as object) };
    },
    async statementsDuring(work) {
      const start = statements.length;
      await work();
      return statements.slice(start).filter((statement) => !isBackgroundWork(statement));
    },
    async record(calls) {
      for (const call of calls) switchyard.callLog.record(call);
      await switchyard.callLog.flush();
      // Fold the increments now, so that no merge round of the recorded calls runs during a later count.
      await switchyard.rollupMerger.mergeAll();
    },
    async close() {
      await switchyard.close();
      await testDatabase.dispose();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
