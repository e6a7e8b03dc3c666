import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { CallRecord } from "../../src/core/index.js";
import { CallLogLossError, createCallLogWriter } from "../../src/db/index.js";
import { useCallLogTestStore } from "./call-log-test-store.js";
import { unreachableDb } from "./unreachable-db.js";
import { deepMetadata, makeAttempt, makeCallRecord } from "./make-call-record.js";

const silent = { warn: () => undefined, error: () => undefined };


describe("call log writer and records the database cannot take as they are", () => {
  const store = useCallLogTestStore("sy-hostile-");
  const { rows, callCount, spillFiles: files } = store;


  it("quarantines a record whose metadata is nested 5,000 deep and keeps storing everything else", async () => {
    const writer = createCallLogWriter({ db: store.db, batchSize: 50, spillDir: store.spillDir, logger: silent });
    const good = Array.from({ length: 99 }, (_, i) => makeCallRecord({ metadata: { i } }));
    const bad = makeCallRecord({ metadata: deepMetadata(5_000) });
    for (const record of good.slice(0, 40)) writer.record(record);
    writer.record(bad);
    for (const record of good.slice(40)) writer.record(record);
    await writer.flush();

    expect(await callCount()).toBe(99);
    expect(writer.stats()).toMatchObject({ buffered: 0, written: 99, quarantined: 1 });
    const later = makeCallRecord();
    writer.record(later);
    await writer.flush();
    expect(await callCount()).toBe(100);

    const [file] = await files("quarantine-");
    const lines = (await readFile(join(store.spillDir, file!), "utf8")).trim().split("\n");
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!) as { error: { message: string }; record: { id: string; metadata: { $unserializable: string } } };
    expect(line.record.id).toBe(bad.id);
    expect(line.error.message).toMatch(/Maximum call stack size exceeded/);
    expect(line.record.metadata.$unserializable.startsWith('{"a":{"a":')).toBe(true);
    await writer.close();
  });

  it("stores NUL and lone surrogates in text fields and metadata as U+FFFD instead of losing the call", async () => {
    const writer = createCallLogWriter({ db: store.db, spillDir: store.spillDir, logger: silent });
    const record = makeCallRecord({
      endUser: "user\u0000one",
      errorMessage: "half \ud800 a pair",
      metadata: { "key\u0000": "value\u0000", nested: [{ text: "lone \udc00 low" }], paired: "😀", backslash: "\\u0000 stays text" },
      attempts: [makeAttempt({ errorMessage: "attempt \u0000 nul" })],
    });
    writer.record(record);
    await writer.close();

    expect(writer.stats()).toMatchObject({ written: 1, quarantined: 0 });
    const [row] = await rows<{ end_user: string; error_message: string; metadata: Record<string, unknown> }>(
      sql`select end_user, error_message, metadata from calls where id = ${record.id}`,
    );
    expect(row).toEqual({
      end_user: "user\uFFFDone",
      error_message: "half \uFFFD a pair",
      metadata: { "key\uFFFD": "value\uFFFD", nested: [{ text: "lone \uFFFD low" }], paired: "😀", backslash: "\\u0000 stays text" },
    });
    const [attempt] = await rows<{ error_message: string }>(sql`select error_message from call_attempts where call_id = ${record.id}`);
    expect(attempt!.error_message).toBe("attempt \uFFFD nul");
    // The rollups carry the same cleaned end user (the merger reads them back as text).
    const [delta] = await rows<{ rows: string }>(sql`select rollup_rows::text as rows from call_rollup_deltas`);
    expect(delta!.rows).toContain("user\uFFFDone");
    expect(await files("quarantine-")).toEqual([]);
  });

  it("spills the records it can at close and quarantines the one it cannot serialize; a new writer stores the rest", async () => {
    const failing = createCallLogWriter({ db: unreachableDb(store.db), spillDir: store.spillDir, closeTimeoutMs: 0, logger: silent });
    const good = Array.from({ length: 5 }, () => makeCallRecord());
    const bad = makeCallRecord({ metadata: deepMetadata(5_000) });
    for (const record of [...good.slice(0, 2), bad, ...good.slice(2)]) failing.record(record);
    await failing.close();
    expect(failing.stats()).toMatchObject({ state: "closed", spilled: 5, quarantined: 1, lost: 0, buffered: 0 });

    const next = createCallLogWriter({ db: store.db, spillDir: store.spillDir, logger: silent });
    await next.flush();
    expect(await callCount()).toBe(5);
    expect(next.stats()).toMatchObject({ replayed: 5 });
    await next.close();
  });

  it("fails close() when it can neither store nor spill, instead of dropping calls quietly", async () => {
    // A file where the spill directory should be: every spill write fails.
    const notADirectory = join(store.spillDir, "occupied");
    await writeFile(notADirectory, "");
    const writer = createCallLogWriter({ db: unreachableDb(store.db), spillDir: notADirectory, closeTimeoutMs: 0, logger: silent });
    const records: CallRecord[] = Array.from({ length: 3 }, () => makeCallRecord());
    for (const record of records) writer.record(record);
    const error = await writer.close().then(() => undefined, (caught: unknown) => caught);
    expect(CallLogLossError.isInstance(error)).toBe(true);
    expect(writer.stats()).toMatchObject({ state: "closed", lost: 3 });
  });
});
