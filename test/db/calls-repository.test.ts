import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CallRecord } from "../../src/core/index.js";
import { insertCallBatch } from "../../src/db/insert-call-batch.js";
import { type CallRow, type CallsRepository, createCallsRepository, picoToUsd } from "../../src/db/index.js";
import { useTestDatabase } from "../helpers/use-test-database.js";
import { makeAttempt, makeCallRecord } from "./make-call-record.js";

describe("calls repository", () => {
  const test = useTestDatabase();
  let repository: CallsRepository;
  const store = (records: CallRecord[]) => insertCallBatch(test.database.db, records);

  beforeAll(() => {
    repository = createCallsRepository(test.database.db);
  });
  beforeEach(async () => {
    await test.database.db.execute(sql`truncate calls, call_attempts, call_rollups, call_rollup_deltas cascade`);
  });

  /** 250 calls over 50 distinct instants, so pages also break inside runs of equal created_at. */
  const originals = () =>
    Array.from({ length: 250 }, (_, i) =>
      makeCallRecord({ createdAt: new Date(Date.UTC(2025, 2, 1, 12, 0, Math.floor(i / 5))), modelGroup: i % 2 === 0 ? "fast" : "smart" }),
    );

  const newestFirst = (a: { createdAt: Date; id: string }, b: { createdAt: Date; id: string }) =>
    b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

  it("pages newest first without duplicates or gaps while new calls arrive", async () => {
    const records = originals();
    await store(records);
    const seen: CallRow[] = [];
    let after: string | undefined;
    let pages = 0;
    let arrived = 0;
    for (;;) {
      const page = await repository.listCalls({ first: 50, after });
      pages += 1;
      seen.push(...page.rows);
      expect(page.totalCount).toBe(250 + arrived);
      if (!page.hasNextPage) break;
      after = page.endCursor ?? undefined;
      // Newer calls land between pages, some at the very instant of the page boundary.
      const boundary = page.rows.at(-1)!.createdAt;
      await store([makeCallRecord({ createdAt: new Date() }), makeCallRecord({ createdAt: new Date(boundary.getTime() + 1) })]);
      arrived += 2;
    }
    expect(pages).toBe(5);
    const originalIds = new Set(records.map((r) => r.id));
    const seenOriginal = seen.filter((row) => originalIds.has(row.id)).map((row) => row.id);
    expect(seenOriginal).toHaveLength(250);
    expect(new Set(seenOriginal).size).toBe(250);
    expect(seen.map((row) => row.id)).toEqual([...records].sort(newestFirst).map((r) => r.id));
  });

  it("gives every row a cursor that resumes right after it", async () => {
    const records = originals();
    await store(records);
    const page = await repository.listCalls({ first: 20 });
    expect(page.cursors).toHaveLength(20);
    expect(page.endCursor).toBe(page.cursors.at(-1));
    const resumed = await repository.listCalls({ first: 5, after: page.cursors[6] });
    expect(resumed.rows.map((row) => row.id)).toEqual(page.rows.slice(7, 12).map((row) => row.id));
  });

  it("keeps microsecond timestamps apart across page boundaries", async () => {
    // Rows written by another client with now(): several share a millisecond but not a microsecond.
    await test.database.db.execute(sql`
      insert into calls (id, created_at, requested_model, status, streamed, prompt_tokens, completion_tokens, cached_tokens, cost_usd, latency_ms, attempt_count)
      select gen_random_uuid(), timestamptz '2025-03-01 00:00:00.123000+00' + make_interval(secs => n / 1000000.0),
             'm', 'SUCCESS', false, 0, 0, 0, 0, 1, 0
      from generate_series(1, 6) as n`);
    const ids: string[] = [];
    let after: string | undefined;
    for (let i = 0; i < 10; i++) {
      const page = await repository.listCalls({ first: 1, after });
      ids.push(...page.rows.map((row) => row.id));
      if (!page.hasNextPage) break;
      after = page.endCursor!;
    }
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
  });

  it("filters, caps the page size and reports an empty page", async () => {
    await store(originals());
    const fast = await repository.listCalls({ filter: { modelGroup: "fast" }, first: 500 });
    expect(fast.totalCount).toBe(125);
    expect(fast.rows).toHaveLength(125);
    expect(fast.rows.every((row) => row.modelGroup === "fast")).toBe(true);

    const all = await repository.listCalls({ first: 1000 });
    expect(all.rows).toHaveLength(200);
    expect(all.hasNextPage).toBe(true);

    const window = await repository.listCalls({
      filter: { from: new Date(Date.UTC(2025, 2, 1, 12, 0, 10)), to: new Date(Date.UTC(2025, 2, 1, 12, 0, 20)) },
      first: 200,
    });
    expect(window.totalCount).toBe(50);

    const none = await repository.listCalls({ filter: { status: "ERROR" }, first: 10 });
    expect(none).toEqual({ rows: [], cursors: [], hasNextPage: false, endCursor: null, totalCount: 0 });

    const uncounted = await repository.listCalls({ filter: { modelGroup: "fast" }, first: 10, withTotal: false });
    expect(uncounted.totalCount).toBeNull();
    expect(uncounted.rows).toHaveLength(10);
    expect(uncounted.hasNextPage).toBe(true);
  });

  it("rejects a malformed cursor with InvalidCursorError", async () => {
    await expect(repository.listCalls({ first: 10, after: "not-a-cursor" })).rejects.toMatchObject({ name: "InvalidCursorError" });
    const forged = Buffer.from(JSON.stringify(["2025-03-01T00:00:00.000000Z", "1 or 1=1"])).toString("base64url");
    await expect(repository.listCalls({ first: 10, after: forged })).rejects.toMatchObject({ name: "InvalidCursorError" });
  });

  it("gets a call with its attempts in order, and null for unknown or malformed ids", async () => {
    const record = makeCallRecord({
      costPico: 1_234_567_890_123n,
      metadata: { team: "search", nested: { a: [1, 2] } },
      keyId: "key-1",
      attempts: [
        makeAttempt({ index: 2, provider: "anthropic", costPico: 3n }),
        makeAttempt({ index: 0, outcome: "ERROR", errorKind: "rate_limit", httpStatus: 429, costPico: 0n }),
        makeAttempt({ index: 1, hedged: true, costPico: 1_234_567_890_120n }),
      ],
    });
    await store([record]);

    const found = await repository.getCall(record.id);
    expect(found).not.toBeNull();
    expect(found!.costUsd).toBe("1.234567890123");
    expect(found!.createdAt).toEqual(record.createdAt);
    expect(found!.metadata).toEqual({ team: "search", nested: { a: [1, 2] } });
    expect(found!.keyId).toBe("key-1");
    expect(found!.attempts.map((a) => a.index)).toEqual([0, 1, 2]);
    expect(found!.attempts[0]).toMatchObject({ outcome: "ERROR", errorKind: "rate_limit", httpStatus: 429, callId: record.id, costUsd: "0.000000000000" });
    expect(found!.attempts[1]).toMatchObject({ hedged: true, costUsd: picoToUsd(1_234_567_890_120n) });
    expect(found!.attempts[2]!.startedAt).toEqual(record.attempts[0]!.startedAt);

    expect(await repository.getCall(randomUUID())).toBeNull();
    expect(await repository.getCall("not-a-uuid")).toBeNull();
    expect(await repository.getCall("'; drop table calls; --")).toBeNull();
  });

  it("loads attempts for many calls at once, keyed by the ids asked for", async () => {
    const a = makeCallRecord({ attempts: [makeAttempt({ index: 0 }), makeAttempt({ index: 1 })] });
    const b = makeCallRecord({ attempts: [makeAttempt({ index: 0 })] });
    const empty = makeCallRecord({ attempts: [], attemptCount: 0 });
    await store([a, b, empty]);
    const unknown = randomUUID();
    const grouped = await repository.getAttempts([a.id, b.id.toUpperCase(), empty.id, unknown, "junk"]);
    expect([...grouped.keys()]).toEqual([a.id, b.id.toUpperCase(), empty.id, unknown, "junk"]);
    expect(grouped.get(a.id)!.map((x) => x.index)).toEqual([0, 1]);
    expect(grouped.get(b.id.toUpperCase())).toHaveLength(1);
    expect(grouped.get(empty.id)).toEqual([]);
    expect(grouped.get(unknown)).toEqual([]);
    expect(grouped.get("junk")).toEqual([]);
  });
});
