import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type SQL, sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import type { CallRecord } from "../../src/core/index.js";
import { serializeCallRecord } from "../../src/db/call-record-json.js";
import { type DrizzleDb, createCallLogWriter, picoToUsd } from "../../src/db/index.js";
import { useCallLogTestStore } from "./call-log-test-store.js";
import { makeAttempt, makeCallRecord, seededRandom } from "./make-call-record.js";

/** Fails transactions on demand, the way a dropped connection or a server restart would. */
interface Faults {
  /** Transactions that fail before touching the database. */
  failNext: number;
  /** Transactions that commit and then report failure (a commit whose acknowledgement was lost). */
  commitThenFail: number;
  /** While true every transaction fails. */
  down: boolean;
  transactions: number;
}

function faultyDb(db: DrizzleDb, faults: Faults): DrizzleDb {
  const connectionLost = () => Object.assign(new Error("Connection terminated unexpectedly"), { code: "57P01" });
  return new Proxy(db, {
    get(target, property) {
      if (property === "transaction") {
        return async (...args: Parameters<DrizzleDb["transaction"]>) => {
          faults.transactions += 1;
          if (faults.down) throw connectionLost();
          if (faults.failNext > 0) {
            faults.failNext -= 1;
            throw connectionLost();
          }
          if (faults.commitThenFail > 0) {
            // Only a transaction that commits loses its acknowledgement (one refused by the database,
            // such as a copied batch meeting calls it stored already, fails as it would anyway).
            await target.transaction(...args);
            faults.commitThenFail -= 1;
            throw connectionLost();
          }
          return target.transaction(...args);
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

const noFaults = (): Faults => ({ failNext: 0, commitThenFail: 0, down: false, transactions: 0 });

function makeRecords(count: number, seed = 1): CallRecord[] {
  const random = seededRandom(seed);
  const base = Date.parse("2025-03-01T00:00:00.000Z");
  return Array.from({ length: count }, (_, i) => {
    const attemptCount = 1 + Math.floor(random() * 2);
    const attempts = Array.from({ length: attemptCount }, (_, index) =>
      makeAttempt({
        index,
        outcome: index === attemptCount - 1 ? "SUCCESS" : "ERROR",
        errorKind: index === attemptCount - 1 ? null : "rate_limit",
        costPico: BigInt(Math.floor(random() * 1e9)) * 1_000_003n,
        startedAt: new Date(base + i * 1000 + index),
      }),
    );
    return makeCallRecord({
      createdAt: new Date(base + i * 1000),
      costPico: attempts.reduce((sum, a) => sum + a.costPico, 0n),
      attempts,
      attemptCount,
      keyId: `key-${i % 7}`,
      metadata: { i },
    });
  });
}

describe("call log writer", () => {
  const store = useCallLogTestStore("sy-spill-");
  const one = async <T>(query: SQL): Promise<T> => (await store.rows<T>(query))[0] as T;
  const { callCount } = store;
  const attemptCount = async () => (await one<{ n: number }>(sql`select count(*)::int as n from call_attempts`)).n;
  const spillFiles = (prefix = "calls-") => store.spillFiles(prefix);


  it("persists 2,000 calls with their attempts exactly once, with exact costs", async () => {
    const writer = createCallLogWriter({ db: store.db });
    const records = makeRecords(2000);
    for (const record of records) writer.record(record);
    await writer.flush();

    expect(await callCount()).toBe(2000);
    expect(await attemptCount()).toBe(records.reduce((n, r) => n + r.attempts.length, 0));
    const expectedCost = records.reduce((sum, r) => sum + r.costPico, 0n);
    const sums = await one<{ calls: string; attempts: string }>(
      sql`select (select sum(cost_usd) from calls)::text as calls, (select sum(cost_usd) from call_attempts)::text as attempts`,
    );
    expect(sums.calls).toBe(picoToUsd(expectedCost));
    expect(sums.attempts).toBe(picoToUsd(expectedCost));

    // Recording the same calls again stores nothing new.
    for (const record of records.slice(0, 600)) writer.record(record);
    await writer.close();
    expect(await callCount()).toBe(2000);
    expect(writer.stats()).toMatchObject({ written: 2000, buffered: 0, failedFlushes: 0, quarantined: 0 });

    const sample = records[17]!;
    const row = await one<Record<string, unknown>>(
      sql`select id, created_at, cost_usd::text as cost, key_id, metadata, attempt_count from calls where id = ${sample.id}`,
    );
    expect(row.cost).toBe(picoToUsd(sample.costPico));
    expect(new Date(row.created_at as string).toISOString()).toBe(sample.createdAt.toISOString());
    expect(row.metadata).toEqual({ i: 17 });
  });

  it("keeps records through failed flushes and retries them without loss", async () => {
    const faults = { ...noFaults(), failNext: 3 };
    const writer = createCallLogWriter({ db: faultyDb(store.db, faults), batchSize: 100, retryBaseMs: 2, retryMaxMs: 10 });
    const records = makeRecords(300, 2);
    for (const record of records) writer.record(record);

    await vi.waitFor(() => expect(writer.stats().written).toBe(300), { timeout: 10_000, interval: 10 });
    expect(writer.stats().failedFlushes).toBe(3);
    expect(await callCount()).toBe(300);
    expect(await attemptCount()).toBe(records.reduce((n, r) => n + r.attempts.length, 0));
    await writer.close();
  });

  it("does not duplicate or wedge when a commit's acknowledgement is lost", async () => {
    const faults = { ...noFaults(), commitThenFail: 2 };
    const writer = createCallLogWriter({ db: faultyDb(store.db, faults), batchSize: 50, retryBaseMs: 1, retryMaxMs: 5 });
    const records = makeRecords(120, 3);
    for (const record of records) writer.record(record);
    await vi.waitFor(() => expect(writer.stats().buffered).toBe(0), { timeout: 10_000, interval: 10 });
    await writer.flush();

    expect(await callCount()).toBe(120);
    expect(await attemptCount()).toBe(records.reduce((n, r) => n + r.attempts.length, 0));
    expect(writer.stats().failedFlushes).toBe(2);
    await writer.close();
  });

  it("skips duplicate ids within a batch and ids already stored", async () => {
    const writer = createCallLogWriter({ db: store.db, batchSize: 10 });
    const first = makeCallRecord({ attempts: [makeAttempt({ index: 0 })] });
    writer.record(first);
    await writer.flush();

    const twin = { ...first, requestedModel: "other", attempts: [makeAttempt({ index: 0 }), makeAttempt({ index: 1 })] };
    const fresh = makeCallRecord();
    writer.record(twin);
    writer.record(fresh);
    writer.record(fresh);
    writer.record({ ...first });
    await writer.flush();

    expect(await callCount()).toBe(2);
    // The stored call keeps its own single attempt: the twin's attempts are not grafted onto it.
    expect(await attemptCount()).toBe(2);
    const stored = await one<{ requested_model: string }>(sql`select requested_model from calls where id = ${first.id}`);
    expect(stored.requested_model).toBe("gpt-4o-mini");
    expect(writer.stats()).toMatchObject({ written: 2, buffered: 0, failedFlushes: 0, quarantined: 0 });
    await writer.close();
  });

  it("isolates a record the database refuses and writes the rest of its batch", async () => {
    const errors: object[] = [];
    const writer = createCallLogWriter({
      db: store.db,
      batchSize: 20,
      spillDir: store.spillDir,
      logger: { warn: () => undefined, error: (object) => errors.push(object) },
    });
    const records = makeRecords(20, 4);
    const bad = { ...records[7]!, id: "not-a-uuid" };
    records[7] = bad;
    for (const record of records) writer.record(record);
    await writer.flush();

    expect(await callCount()).toBe(19);
    expect(writer.stats()).toMatchObject({ written: 19, quarantined: 1, buffered: 0 });
    const [quarantineFile] = await spillFiles("quarantine-");
    expect(quarantineFile).toBeDefined();
    expect(await readFile(join(store.spillDir, quarantineFile!), "utf8")).toContain('"id":"not-a-uuid"');
    expect(errors.length).toBeGreaterThan(0);
    await writer.close();
  });

  it("close() drains everything that was recorded", async () => {
    const writer = createCallLogWriter({ db: store.db, batchSize: 100, flushIntervalMs: 10_000 });
    for (const record of makeRecords(1234, 5)) writer.record(record);
    await writer.close();
    expect(await callCount()).toBe(1234);
    expect(writer.stats()).toMatchObject({ buffered: 0, written: 1234 });
  });

  it("spills overflow to disk while the database is down and replays it once it is back", async () => {
    const faults = { ...noFaults(), down: true };
    const writer = createCallLogWriter({
      db: faultyDb(store.db, faults),
      batchSize: 10,
      maxBuffered: 20,
      spillDir: store.spillDir,
      retryBaseMs: 2,
      retryMaxMs: 10,
    });
    const records = makeRecords(100, 6);
    for (const record of records) writer.record(record);

    await vi.waitFor(() => expect(writer.stats().spilled).toBe(80), { timeout: 5_000, interval: 5 });
    await vi.waitFor(() => expect(writer.stats().failedFlushes).toBeGreaterThan(0), { timeout: 5_000, interval: 5 });
    const files = await spillFiles();
    expect(files.length).toBeGreaterThan(0);
    const spilledText = (await Promise.all(files.map((f) => readFile(join(store.spillDir, f), "utf8")))).join("");
    expect(spilledText.trim().split("\n")).toHaveLength(80);
    expect(spilledText).toContain(serializeCallRecord(records[99]!));
    expect(await callCount()).toBe(0);

    faults.down = false;
    await writer.flush();
    expect(await callCount()).toBe(100);
    expect(await attemptCount()).toBe(records.reduce((n, r) => n + r.attempts.length, 0));
    expect(writer.stats()).toMatchObject({ buffered: 0, written: 100, replayed: 80 });
    expect(await spillFiles()).toEqual([]);
    await writer.close();
  });

  it("close() spills what the database would not take, and a new writer replays it at start", async () => {
    const faults = { ...noFaults(), down: true };
    const failing = createCallLogWriter({
      db: faultyDb(store.db, faults),
      batchSize: 10,
      spillDir: store.spillDir,
      retryBaseMs: 2,
      retryMaxMs: 10,
      closeTimeoutMs: 100,
    });
    const records = makeRecords(35, 7);
    for (const record of records) failing.record(record);
    await failing.close();
    expect(failing.stats()).toMatchObject({ buffered: 0, written: 0, spilled: 35 });
    expect(faults.transactions).toBeGreaterThan(1);
    expect(await callCount()).toBe(0);

    const next = createCallLogWriter({ db: store.db, spillDir: store.spillDir });
    await vi.waitFor(() => expect(next.stats().replayed).toBe(35), { timeout: 5_000, interval: 10 });
    expect(await callCount()).toBe(35);
    expect(await spillFiles()).toEqual([]);
    await next.close();
  });

  it("never throws from record(), even for garbage", () => {
    const writer = createCallLogWriter({ db: store.db, logger: { warn: () => undefined, error: () => undefined } });
    expect(() => writer.record(null as unknown as CallRecord)).not.toThrow();
    expect(writer.stats().buffered).toBe(0);
    return writer.close();
  });
});
