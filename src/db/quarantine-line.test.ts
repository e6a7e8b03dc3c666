import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CallRecord } from "../core/index.js";
import { makeCallRecord } from "../../test/db/make-call-record.js";
import { quarantineLine } from "./quarantine-line.js";

const at = new Date("2025-03-01T00:00:00.000Z");

describe("quarantineLine", () => {
  it("is one JSON line for any metadata, however deep, cyclic or hostile", () => {
    const deep: Record<string, unknown> = {};
    let node = deep;
    for (let i = 0; i < 10_000; i++) node = (node.a = {}) as Record<string, unknown>;
    const cyclic: Record<string, unknown> = { name: "loop" };
    cyclic.self = cyclic;
    const throwing = Object.defineProperty({}, "boom", { enumerable: true, get: () => { throw new Error("getter"); } });
    for (const metadata of [deep, cyclic, throwing, { big: 10n }, { toString: 1 }]) {
      const line = quarantineLine(makeCallRecord({ id: "c1", metadata }), new RangeError("Maximum call stack size exceeded"), at);
      expect(line.endsWith("\n")).toBe(true);
      const parsed = JSON.parse(line) as { record: { id: string }; error: { message: string } };
      expect(parsed.record.id).toBe("c1");
      expect(parsed.error.message).toContain("Maximum call stack");
    }
  });

  it("never throws on arbitrary values in place of a record", () => {
    expect(() => JSON.parse(quarantineLine({ id: { toString: 1 } } as unknown as CallRecord, undefined, at))).not.toThrow();
    // An error value that cannot be made a string (fast-check found it: String() throws on it).
    const unprintable = { toString: "" };
    expect(() => JSON.parse(quarantineLine(unprintable as unknown as CallRecord, unprintable, at))).not.toThrow();
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const line = quarantineLine(value as CallRecord, value, at);
        expect(() => JSON.parse(line)).not.toThrow();
      }),
    );
  });

  it("keeps a serializable record whole, with the SQLSTATE", () => {
    const record = makeCallRecord({ metadata: { a: 1 } });
    const parsed = JSON.parse(quarantineLine(record, { sqlState: "22P02", message: "bad uuid" }, at)) as { error: { sqlState: string }; record: { metadata: unknown; costPico: string } };
    expect(parsed.error.sqlState).toBe("22P02");
    expect(parsed.record.metadata).toEqual({ a: 1 });
    expect(parsed.record.costPico).toBe(String(record.costPico));
  });
});
