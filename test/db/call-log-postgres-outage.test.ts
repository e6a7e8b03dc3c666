import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, createCallLogWriter, createDatabase } from "../../src/db/index.js";
import { useTestDatabase } from "../helpers/use-test-database.js";
import { type TcpProxy, startTcpProxy } from "../helpers/tcp-proxy.js";
import { makeCallRecord } from "./make-call-record.js";
import { recordThroughCut } from "./record-through-cut.js";

const onServer = Boolean(process.env.DATABASE_URL);

// A real Postgres behind a TCP proxy that cuts every connection in the middle of the writer's
// transaction and refuses new ones for a while: node-postgres must turn that into an error the
// writer retries, never an unhandled 'error' event that kills the process.
describe.skipIf(!onServer)("call log across a Postgres outage (skipped without DATABASE_URL)", () => {
  const test = useTestDatabase();
  let proxy: TcpProxy;
  let proxied: Database;

  beforeAll(async () => {
    const url = new URL(test.url!);
    proxy = await startTcpProxy(url.hostname, Number(url.port || 5432));
    url.hostname = "127.0.0.1";
    url.port = String(proxy.port);
    proxied = await createDatabase({ url: url.toString(), poolMax: 4 });
  });
  afterAll(async () => {
    await proxied?.close().catch(() => undefined);
    await proxy?.close();
  });

  it("survives connections cut mid-transaction and stores every record after recovery", async () => {
    const warnings: string[] = [];
    const writer = createCallLogWriter({
      db: proxied.db,
      batchSize: 20,
      flushIntervalMs: 1,
      retryBaseMs: 5,
      retryMaxMs: 50,
      logger: { warn: (_object, message) => warnings.push(message ?? ""), error: () => undefined },
    });
    const { records, recordSome } = await recordThroughCut(writer, proxy);
    expect(writer.stats().failedFlushes).toBeGreaterThan(0);
    await proxy.restore();
    recordSome(10);
    await writer.flush();

    const stored = (await test.database.db.execute(sql`select id::text as id from calls`)) as unknown as { rows: Array<{ id: string }> };
    expect(new Set(stored.rows.map((row) => row.id))).toEqual(new Set(records.map((record) => record.id)));
    expect(writer.stats()).toMatchObject({ buffered: 0, written: records.length });
    expect(warnings).toContain("call log flush failed; records kept for retry");
    await writer.close();
  });

  it("does not leak the pooled connection when the cut lands on BEGIN, so writes resume after recovery", async () => {
    const url = new URL(test.url!);
    const tight = await startTcpProxy(url.hostname, Number(url.port || 5432));
    url.hostname = "127.0.0.1";
    url.port = String(tight.port);
    // One connection: a single client lost for good would stop every later write.
    const single = await createDatabase({ url: url.toString(), poolMax: 1 });
    try {
      const writer = createCallLogWriter({ db: single.db, flushIntervalMs: 1, retryBaseMs: 5, retryMaxMs: 20, logger: { warn: () => undefined, error: () => undefined } });
      const cut = tight.cutWhenClientSends("begin");
      const first = makeCallRecord();
      writer.record(first);
      await cut;
      await tight.restore();
      const second = makeCallRecord();
      writer.record(second);
      await writer.close();
      const stored = (await test.database.db.execute(sql`select id::text as id from calls where id in (${first.id}, ${second.id})`)) as unknown as {
        rows: Array<{ id: string }>;
      };
      expect(stored.rows).toHaveLength(2);
    } finally {
      // pool.end() waits for every checked-out client: a leaked one would hang here.
      await single.close();
      await tight.close();
    }
  });
});
