import fc from "fast-check";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { CallRecord } from "../../src/core/index.js";
import { copyCallBatch } from "../../src/db/copy-call-batch.js";
import { insertCallBatch } from "../../src/db/insert-call-batch.js";
import { sanitizeCallRecord } from "../../src/db/sanitize-call-record.js";
import { useCallLogTestStore } from "./call-log-test-store.js";
import { makeAttempt, makeCallRecord } from "./make-call-record.js";

// Any UTF-16 code units (tabs, newlines, backslashes, NULs and lone surrogates among them).
const anyString = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength: 12 });
const copyish = fc.constantFrom("\\", "\t", "\n", "\r", "\\N", "\\.", "a\tb", "", " ", "'", '"', "ü");
const text = fc.oneof(anyString, copyish);
// No NUL either: text refuses it whichever way it is sent.
const wellFormed = fc.oneof(fc.string({ unit: "binary", maxLength: 12 }).filter((value) => !value.includes("\u0000")), copyish);
const anyJson = fc.jsonValue({ maxDepth: 4, stringUnit: fc.oneof(fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), copyish) });
const number = fc.oneof(fc.double(), fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -0, 1e21, 5e-324));

const callInput = fc.record({
  user: fc.option(text),
  message: fc.option(text),
  finish: fc.option(text),
  metadata: fc.option(fc.dictionary(text, anyJson, { maxKeys: 3 })),
  ttft: fc.option(number),
  latency: fc.double({ min: 0, max: 1e9, noNaN: true }),
  // Not sanitized (the gateway writes them): well-formed text.
  routing: fc.option(fc.record({ policy: fc.constantFrom("quality", "cascade"), score: number, threshold: number, tier: wellFormed, reason: wellFormed })),
  escalated: fc.boolean(),
  unpriced: fc.option(fc.boolean(), { nil: undefined }),
  attemptMessages: fc.array(fc.option(text), { maxLength: 3 }),
});

type CallInput = typeof callInput extends fc.Arbitrary<infer T> ? T : never;

function recordOf(input: CallInput, marker: number): CallRecord {
  const createdAt = new Date(Date.parse("2025-03-01T10:00:00.000Z") + marker);
  return makeCallRecord({
    createdAt,
    endUser: input.user,
    errorMessage: input.message,
    finishReason: input.finish,
    metadata: input.metadata,
    ttftMs: input.ttft,
    latencyMs: input.latency,
    routing: input.routing as CallRecord["routing"],
    escalatedFrom: input.escalated ? `00000000-0000-4000-8000-${String(marker).padStart(12, "0")}` : null,
    unpriced: input.unpriced,
    reasoningTokens: marker,
    attempts: input.attemptMessages.map((message, index) => makeAttempt({ index, errorMessage: message, startedAt: createdAt, latencyMs: input.latency })),
  });
}

describe("the copied way of a call-log batch", () => {
  const store = useCallLogTestStore("sy-copy-batch-");

  // Every column but the call id, which differs between the two ways' copies of a record.
  const storedRows = (table: "calls" | "call_attempts", key: "id" | "call_id", ids: string[]) =>
    store.rows<{ row: string }>(sql`
      select (to_jsonb(t) - ${key})::text as row from ${sql.raw(table)} t where ${sql.raw(key)} in ${ids}
      order by ${sql.raw(table === "calls" ? "reasoning_tokens" : "(select reasoning_tokens from calls c where c.id = t.call_id), attempt_index")}`);

  it("stores every column exactly as the careful way does, whatever the strings, metadata and numbers", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(callInput, { minLength: 1, maxLength: 8 }), async (inputs) => {
        await store.rows(sql`truncate calls, call_attempts, call_rollup_deltas`);
        const copied = inputs.map((input, i) => recordOf(input, i));
        const careful = inputs.map((input, i) => recordOf(input, i));
        // The copied way takes a batch of new calls whatever they hold (sanitized first, as insertCallBatch does).
        const unique = new Map(copied.map((record) => [record.id, sanitizeCallRecord(record)]));
        expect(await copyCallBatch(store.db, unique)).toBe(copied.length);
        // A call stored already sends the whole batch the careful way.
        const stored = makeCallRecord();
        await insertCallBatch(store.db, [stored]);
        expect(await insertCallBatch(store.db, [...careful, stored])).toBe(careful.length);

        const copiedIds = copied.map((record) => record.id);
        const carefulIds = careful.map((record) => record.id);
        expect(await storedRows("calls", "id", copiedIds)).toEqual(await storedRows("calls", "id", carefulIds));
        expect(await storedRows("call_attempts", "call_id", copiedIds)).toEqual(await storedRows("call_attempts", "call_id", carefulIds));
        // One increment row per batch, the same sums.
        const deltas = await store.rows<{ rows: string }>(sql`select rollup_rows::text as rows from call_rollup_deltas order by id`);
        expect(deltas).toHaveLength(3);
        expect(deltas[0]!.rows).toBe(deltas[2]!.rows);
      }),
      { numRuns: 25 },
    );
  });

  it("stores nothing and leaves the batch to the careful way when one of its calls is stored already", async () => {
    const first = makeCallRecord();
    await insertCallBatch(store.db, [first]);
    const fresh = makeCallRecord();
    expect(await copyCallBatch(store.db, new Map([fresh, first].map((record) => [record.id, record])))).toBeUndefined();
    expect(await store.callCount()).toBe(1);
    expect(await store.rows(sql`select 1 from call_rollup_deltas`)).toHaveLength(1);
    expect(await insertCallBatch(store.db, [fresh, first])).toBe(1);
    expect(await store.callCount()).toBe(2);
  });

  it("keeps nothing of a batch whose attempts the database refuses, and the careful way stores it", async () => {
    const startedAt = new Date("2025-03-01T10:00:00.000Z");
    // Two attempts with one key: the attempts' COPY fails after the calls' went in.
    const twin = makeCallRecord({ attempts: [makeAttempt({ startedAt }), makeAttempt({ startedAt })] });
    const other = makeCallRecord();
    const batch = new Map([twin, other].map((record) => [record.id, record]));
    expect(await copyCallBatch(store.db, batch)).toBeUndefined();
    expect(await store.callCount()).toBe(0);
    expect(await store.rows(sql`select 1 from call_rollup_deltas`)).toHaveLength(0);
    expect(await insertCallBatch(store.db, [twin, other])).toBe(2);
    expect(await store.rows(sql`select 1 from call_attempts`)).toHaveLength(2);
  });
});
