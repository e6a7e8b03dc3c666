import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { makeAttempt, makeCallRecord } from "../../test/db/make-call-record.js";
import { sanitizeCallRecord } from "./sanitize-call-record.js";

type WellFormed = string & { isWellFormed(): boolean };
const storable = (value: string) => !value.includes("\u0000") && (value as WellFormed).isWellFormed();

/** Every string in a JSON value, keys included. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const item of value) strings(item, out);
  else if (value !== null && typeof value === "object")
    for (const [key, item] of Object.entries(value)) {
      out.push(key);
      strings(item, out);
    }
  return out;
}

// Any UTF-16 code units, so NULs and lone surrogates of both kinds come up often.
const anyString = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength: 12 });

describe("sanitizeCallRecord", () => {
  it("leaves no NUL and no lone surrogate in any text field, attempt or metadata key and value", () => {
    fc.assert(
      fc.property(anyString, anyString, fc.jsonValue({ maxDepth: 4 }), fc.dictionary(anyString, anyString), (endUser, errorMessage, json, dictionary) => {
        const record = makeCallRecord({ endUser, errorMessage, metadata: { json, dictionary }, attempts: [makeAttempt({ errorMessage })] });
        const clean = sanitizeCallRecord(record);
        expect(strings(clean.metadata).every(storable)).toBe(true);
        expect([clean.endUser!, clean.errorMessage!, clean.attempts[0]!.errorMessage!].every(storable)).toBe(true);
        // Only the offending code units change: the lengths stay.
        expect(clean.endUser!.length).toBe(endUser.length);
      }),
    );
  });

  it("returns a clean record itself, and keeps paired surrogates and literal backslash escapes", () => {
    const clean = makeCallRecord({ endUser: "😀 ok", metadata: { text: "\\u0000 is six characters", emoji: "😀" } });
    expect(sanitizeCallRecord(clean)).toBe(clean);
    const dirty = makeCallRecord({ metadata: { a: "\\\u0000", b: "x\ud83d" } });
    expect(sanitizeCallRecord(dirty).metadata).toEqual({ a: "\\\uFFFD", b: "x\uFFFD" });
    expect(dirty.metadata).toEqual({ a: "\\\u0000", b: "x\ud83d" }); // the caller's record is not touched
  });

  it("walks deep metadata without overflowing the stack", () => {
    const root: Record<string, unknown> = {};
    let node = root;
    for (let i = 0; i < 100_000; i++) node = (node.a = {}) as Record<string, unknown>;
    const record = makeCallRecord({ metadata: root });
    expect(sanitizeCallRecord(record)).toBe(record);
  });
});
