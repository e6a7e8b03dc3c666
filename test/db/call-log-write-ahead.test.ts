import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createCallLogWriter } from "../../src/db/index.js";
import { createManualClock } from "../helpers/manual-clock.js";
import { useCallLogTestStore } from "./call-log-test-store.js";
import { unreachableDb } from "./unreachable-db.js";
import { makeCallRecord } from "./make-call-record.js";

const silent = { warn: () => undefined, error: () => undefined };

describe("call log write-ahead file", () => {
  const store = useCallLogTestStore("sy-wal-");
  const { callCount } = store;
  const walFiles = () => store.spillFiles("wal-");


  it("has every record on disk when record() returns, and a writer started after a crash stores them all", async () => {
    // The first process: its database is away and its clock never moves, so nothing is flushed before it dies.
    const clock = createManualClock();
    const dead = createCallLogWriter({ db: unreachableDb(store.db), spillDir: store.spillDir, writeAhead: true, logger: silent, ...clock });
    const records = Array.from({ length: 6 }, (_, i) => makeCallRecord({ metadata: { i } }));
    for (const record of records) dead.record(record);
    const [file] = await walFiles();
    const lines = (await readFile(join(store.spillDir, file!), "utf8")).trim().split("\n");
    expect(lines.map((line) => (JSON.parse(line) as { id: string }).id)).toEqual(records.map((record) => record.id));

    // The restarted process finds the file and stores what the dead one held only in memory.
    const next = createCallLogWriter({ db: store.db, spillDir: store.spillDir, writeAhead: true, logger: silent });
    await next.flush();
    expect(await callCount()).toBe(6);
    expect(next.stats()).toMatchObject({ replayed: 6 });
    await next.close();
    expect(await walFiles()).toEqual([]);
  });

  it("empties the file once its records are stored, and leaves nothing after close()", async () => {
    // No interval flush: the five records past the two full batches must still be in the file when it is read.
    const writer = createCallLogWriter({ db: store.db, spillDir: store.spillDir, writeAhead: true, batchSize: 10, flushIntervalMs: 60_000, logger: silent });
    for (let i = 0; i < 25; i++) writer.record(makeCallRecord());
    const [file] = await walFiles();
    expect((await stat(join(store.spillDir, file!))).size).toBeGreaterThan(0);
    await writer.flush();
    expect((await stat(join(store.spillDir, file!))).size).toBe(0);
    writer.record(makeCallRecord());
    expect((await readFile(join(store.spillDir, file!), "utf8")).trim().split("\n")).toHaveLength(1);
    await writer.close();
    expect(await callCount()).toBe(26);
    expect(await walFiles()).toEqual([]);
  });

  it("keeps a record it cannot serialize out of the file and quarantines it as usual", async () => {
    const writer = createCallLogWriter({ db: store.db, spillDir: store.spillDir, writeAhead: true, logger: silent });
    const deep: Record<string, unknown> = {};
    let node = deep;
    for (let i = 0; i < 5_000; i++) node = (node.a = {}) as Record<string, unknown>;
    writer.record(makeCallRecord({ metadata: deep }));
    writer.record(makeCallRecord());
    await writer.close();
    expect(writer.stats()).toMatchObject({ written: 1, quarantined: 1, lost: 0 });
    expect(await walFiles()).toEqual([]);
  });
});
