import { describe, expect, it } from "vitest";
import type { CallRecord } from "../../src/core/index.js";
import { type CallLogState, CallLogLossError, CallWriteError, createCallLogWriter } from "../../src/db/index.js";
import type { BatchOutcome } from "../../src/db/write-call-batch.js";
import { createManualClock } from "../helpers/manual-clock.js";
import { makeCallRecord } from "./make-call-record.js";

/** A database played by the test: `down` makes every write fail the way a cut connection does. */
function scriptedDatabase() {
  const stored = new Map<string, CallRecord>();
  const batches: number[] = [];
  const database = {
    stored,
    batches,
    down: false,
    writeBatch: async (records: readonly CallRecord[]): Promise<BatchOutcome> => {
      await Promise.resolve();
      if (database.down) throw CallWriteError.from(Object.assign(new Error("Connection terminated unexpectedly"), { code: "ECONNRESET" }));
      batches.push(records.length);
      let inserted = 0;
      for (const record of records) {
        if (!stored.has(record.id)) inserted += 1;
        stored.set(record.id, record);
      }
      return { inserted, rejected: [] };
    },
  };
  return database;
}

const silent = { warn: () => undefined, error: () => undefined };

describe("call log writer states (injected time, no real sleeps)", () => {
  it("waits in buffering for the flush interval or a full batch, then flushes", async () => {
    const clock = createManualClock();
    const database = scriptedDatabase();
    const writer = createCallLogWriter({ writeBatch: database.writeBatch, batchSize: 5, flushIntervalMs: 1_000, ...clock, logger: silent });

    writer.record(makeCallRecord());
    await clock.advance(999);
    expect(writer.stats()).toMatchObject({ state: "buffering", buffered: 1, written: 0 });
    await clock.advance(1);
    expect(writer.stats()).toMatchObject({ state: "buffering", buffered: 0, written: 1 });

    for (let i = 0; i < 5; i++) writer.record(makeCallRecord());
    await clock.advance(0);
    expect(database.batches).toEqual([1, 5]);
    await writer.close();
    expect(writer.stats().state).toBe("closed");
  });

  it("writes what came during a write at the next interval, not at once, unless it fills a batch", async () => {
    const clock = createManualClock();
    const database = scriptedDatabase();
    let release: (() => void) | undefined;
    const slowWrite = async (records: readonly CallRecord[]) => {
      await new Promise<void>((resolve) => (release = resolve));
      return database.writeBatch(records);
    };
    const writer = createCallLogWriter({ writeBatch: slowWrite, batchSize: 5, flushIntervalMs: 1_000, ...clock, logger: silent });

    writer.record(makeCallRecord());
    await clock.advance(1_000);
    for (let i = 0; i < 2; i++) writer.record(makeCallRecord());
    release?.();
    await clock.settle();
    expect(database.batches).toEqual([1]);
    expect(writer.stats()).toMatchObject({ state: "buffering", buffered: 2 });
    await clock.advance(1_000);
    release?.();
    await clock.settle();
    expect(database.batches).toEqual([1, 2]);

    for (let i = 0; i < 7; i++) writer.record(makeCallRecord());
    await clock.advance(0);
    release?.();
    await clock.settle();
    expect(database.batches).toEqual([1, 2, 5]);
    expect(writer.stats().buffered).toBe(2);
    const closed = writer.close();
    await clock.settle();
    release?.();
    await closed;
    expect(database.batches).toEqual([1, 2, 5, 2]);
  });

  it("backs off after a failure that heals, retries on the backoff timer and loses nothing", async () => {
    const clock = createManualClock();
    const database = scriptedDatabase();
    const states: CallLogState[] = [];
    const writer = createCallLogWriter({
      writeBatch: database.writeBatch,
      batchSize: 10,
      flushIntervalMs: 10,
      retryBaseMs: 1_000,
      retryMaxMs: 8_000,
      random: () => 1,
      ...clock,
      logger: silent,
    });
    const watch = async (ms: number) => {
      await clock.advance(ms);
      states.push(writer.stats().state);
    };

    database.down = true;
    for (let i = 0; i < 3; i++) writer.record(makeCallRecord());
    await watch(10); // first try fails: backoff 1 s
    expect(clock.pending()).toEqual([1_000]);
    await watch(1_000); // second fails: 2 s
    expect(clock.pending()).toEqual([2_000]);
    writer.record(makeCallRecord());
    await watch(2_000); // third fails: 4 s
    expect(writer.stats()).toMatchObject({ state: "backingOff", buffered: 4, failedFlushes: 3, written: 0 });
    database.down = false;
    await watch(3_999);
    expect(database.stored.size).toBe(0);
    await watch(1);
    expect(states).toEqual(["backingOff", "backingOff", "backingOff", "backingOff", "buffering"]);
    expect(writer.stats()).toMatchObject({ state: "buffering", buffered: 0, written: 4, failedFlushes: 3 });
    await writer.close();
  });

  it("close() drains, retries until closeTimeoutMs on the injected clock, then fails loudly without a spill directory", async () => {
    const clock = createManualClock();
    const database = scriptedDatabase();
    database.down = true;
    const writer = createCallLogWriter({ writeBatch: database.writeBatch, closeTimeoutMs: 5_000, retryBaseMs: 100, retryMaxMs: 400, random: () => 0, ...clock, logger: silent });
    for (let i = 0; i < 7; i++) writer.record(makeCallRecord());

    const closed = writer.close().then(() => undefined, (error: unknown) => error);
    await clock.settle();
    expect(writer.stats().state).toBe("draining");
    await clock.advance(4_000);
    expect(writer.stats().state).toBe("draining");
    await clock.advance(1_100);
    const error = await closed;
    expect(CallLogLossError.isInstance(error)).toBe(true);
    expect((error as CallLogLossError).lost).toBe(7);
    expect(writer.stats()).toMatchObject({ state: "closed", lost: 7, written: 0 });
  });

  it("close() comes back as soon as the database does", async () => {
    const clock = createManualClock();
    const database = scriptedDatabase();
    database.down = true;
    const writer = createCallLogWriter({ writeBatch: database.writeBatch, closeTimeoutMs: 60_000, retryBaseMs: 100, retryMaxMs: 100, random: () => 1, ...clock, logger: silent });
    for (let i = 0; i < 3; i++) writer.record(makeCallRecord());
    const closed = writer.close();
    await clock.advance(1_000);
    database.down = false;
    await clock.advance(100);
    await closed;
    expect(writer.stats()).toMatchObject({ state: "closed", written: 3, lost: 0 });
  });
});
