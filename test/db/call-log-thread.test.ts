import { readFileSync, readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { getPriority } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import type { CallRecord } from "../../src/core/index.js";
import { type CallLogThread, createCallLogWriter, openCallLogThread } from "../../src/db/index.js";
import { type TcpProxy, startTcpProxy } from "../helpers/tcp-proxy.js";
import { useCallLogTestStore } from "./call-log-test-store.js";
import { deepMetadata, makeCallRecord } from "./make-call-record.js";
import { recordThroughCut } from "./record-through-cut.js";

const silent = { warn: () => undefined, error: () => undefined };


// The thread writes to Postgres only (PGlite lives in the process): these run with DATABASE_URL.
describe.skipIf(!process.env.DATABASE_URL)("call log writes in a worker thread", () => {
  const store = useCallLogTestStore("sy-thread-");
  const { callCount, spillFiles } = store;
  let thread: CallLogThread | undefined;
  const open = (): CallLogThread => (thread = openCallLogThread({ url: store.url!, logger: silent, restartDelayMs: 10 }));
  afterEach(async () => {
    await thread?.rollupMerger.close();
    thread = undefined;
  });
  const rolledUp = async () =>
    (await store.rows<{ n: number }>(sql`select coalesce(sum(requests), 0)::int as n from call_rollups where grain = 1440 and breakdown = 2`))[0]!.n;

  it("stores every record, close() drains, and the merger's close folds the last increments", async () => {
    const { writeBatch, rollupMerger } = open();
    const writer = createCallLogWriter({ writeBatch, batchSize: 100, flushIntervalMs: 60_000 });
    const records = Array.from({ length: 1_234 }, (_, i) => makeCallRecord({ metadata: { i }, costPico: BigInt(i) * 1_000_003n }));
    for (const record of records) writer.record(record);
    await writer.close();
    expect(await callCount()).toBe(1_234);
    expect(writer.stats()).toMatchObject({ buffered: 0, written: 1_234, quarantined: 0, lost: 0 });
    const [stored] = await store.rows<{ cost: string; metadata: { i: number } }>(sql`select cost_usd::text as cost, metadata from calls where id = ${records[7]!.id}`);
    expect(stored).toEqual({ cost: "0.000007000021", metadata: { i: 7 } });
    await rollupMerger.close();
    expect(await rolledUp()).toBe(1_234);
    expect(rollupMerger.stats().merged).toBeGreaterThan(0);
  });

  it.runIf(process.platform === "linux")("runs below the priority of the thread that started it", async () => {
    const niceOf = (tid: string): number => {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
      return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
    };
    const before = readdirSync("/proc/self/task");
    await open().writeBatch([makeCallRecord({})]);
    const started = readdirSync("/proc/self/task").filter((tid) => !before.includes(tid));
    expect(started.map(niceOf)).toContain(Math.min(19, getPriority() + 10));
  });

  it("isolates and quarantines a record the database refuses, and one too deep to send to the thread", async () => {
    const { writeBatch } = open();
    const writer = createCallLogWriter({ writeBatch, batchSize: 20, spillDir: store.spillDir, logger: silent });
    const records: CallRecord[] = Array.from({ length: 20 }, (_, i) => makeCallRecord({ metadata: { i } }));
    records[7] = { ...records[7]!, id: "not-a-uuid" };
    records[12] = { ...records[12]!, metadata: deepMetadata(20_000) };
    for (const record of records) writer.record(record);
    await writer.flush();
    expect(await callCount()).toBe(18);
    expect(writer.stats()).toMatchObject({ written: 18, quarantined: 2, buffered: 0 });
    const [file] = await spillFiles("quarantine-");
    const lines = (await readFile(join(store.spillDir, file!), "utf8")).trim().split("\n");
    expect(lines.map((line) => (JSON.parse(line) as { record: { id: string } }).record.id).sort()).toEqual(["not-a-uuid", records[12]!.id].sort());
    await writer.close();
  });

  it("loses nothing when the thread dies mid-batch: the batch fails as retryable and a new thread stores it", async () => {
    const opened = open();
    let killed = false;
    const writer = createCallLogWriter({
      writeBatch: (records) => {
        const written = opened.writeBatch(records);
        if (!killed) {
          killed = true;
          void opened.terminate();
        }
        return written;
      },
      batchSize: 100,
      flushIntervalMs: 60_000,
      retryBaseMs: 5,
      spillDir: store.spillDir,
      logger: silent,
    });
    for (let i = 0; i < 300; i++) writer.record(makeCallRecord({ metadata: { i } }));
    await expect(writer.flush()).rejects.toThrow(/call log thread stopped/);
    await writer.close();
    expect(await callCount()).toBe(300);
    expect(writer.stats()).toMatchObject({ buffered: 0, lost: 0, quarantined: 0 });
    expect(writer.stats().failedFlushes).toBeGreaterThanOrEqual(1);
    expect(opened.starts()).toBeGreaterThanOrEqual(2);
  });

  it("survives Postgres connections cut mid-transaction in the thread and stores every record after recovery", async () => {
    const target = new URL(store.url!);
    const proxy: TcpProxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    try {
      target.hostname = "127.0.0.1";
      target.port = String(proxy.port);
      const { writeBatch } = (thread = openCallLogThread({ url: target.toString(), logger: silent, restartDelayMs: 10 }));
      const writer = createCallLogWriter({ writeBatch, batchSize: 20, flushIntervalMs: 1, retryBaseMs: 5, retryMaxMs: 50, logger: silent });
      const { records, recordSome } = await recordThroughCut(writer, proxy);
      expect(writer.stats().failedFlushes).toBeGreaterThan(0);
      await proxy.restore();
      recordSome(10);
      await writer.close();
      const stored = await store.rows<{ id: string }>(sql`select id::text as id from calls`);
      expect(new Set(stored.map((row) => row.id))).toEqual(new Set(records.map((record) => record.id)));
      expect(writer.stats()).toMatchObject({ buffered: 0, lost: 0 });
    } finally {
      await thread?.rollupMerger.close();
      thread = undefined;
      await proxy.close();
    }
  });
});
