import { describe, expect, it } from "vitest";
import { parseCallRecord, serializeCallRecord } from "../../src/db/call-record-json.js";
import { decodeCallCursor, encodeCallCursor } from "../../src/db/call-cursor.js";
import { InvalidCursorError, picoToUsd } from "../../src/db/index.js";
import { makeAttempt, makeCallRecord } from "./make-call-record.js";

describe("picoToUsd", () => {
  it("prints whole pico-dollars with twelve decimals", () => {
    expect(picoToUsd(0n)).toBe("0.000000000000");
    expect(picoToUsd(150_000n)).toBe("0.000000150000");
    expect(picoToUsd(1n)).toBe("0.000000000001");
    expect(picoToUsd(1_000_000_000_000n)).toBe("1.000000000000");
    expect(picoToUsd(123_456_789_012_345_678n)).toBe("123456.789012345678");
    expect(picoToUsd(-1_500_000_000_000n)).toBe("-1.500000000000");
  });
});

describe("call cursor", () => {
  const cursor = { createdAt: "2025-03-01T10:00:00.123456Z", id: "0b6f8a52-6d7c-4b8e-9a3e-2f1c0d9e8b7a" };

  it("round-trips", () => {
    const text = encodeCallCursor(cursor);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCallCursor(text)).toEqual(cursor);
  });

  it.each([
    ["not base64", "***"],
    ["not JSON", Buffer.from("hello").toString("base64url")],
    ["wrong shape", Buffer.from(JSON.stringify({ a: 1 })).toString("base64url")],
    ["bad id", Buffer.from(JSON.stringify([cursor.createdAt, "x'; drop table calls"])).toString("base64url")],
    ["bad time", Buffer.from(JSON.stringify(["yesterday", cursor.id])).toString("base64url")],
    ["empty", ""],
  ])("rejects %s with InvalidCursorError", (_label, text) => {
    let caught: unknown;
    try {
      decodeCallCursor(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidCursorError);
    expect((caught as Error).name).toBe("InvalidCursorError");
  });
});

describe("spill line format", () => {
  it("keeps bigints and dates exactly", () => {
    const record = makeCallRecord({
      costPico: 123_456_789_012_345_678_901n,
      metadata: { tag: "a" },
      attempts: [makeAttempt({ costPico: 99_999_999_999_999_999n, startedAt: new Date("2025-01-02T03:04:05.678Z") })],
    });
    const line = serializeCallRecord(record);
    expect(line).toContain('"costPico":"123456789012345678901"');
    expect(line).toContain('"createdAt":"2025-03-01T10:00:00.000Z"');
    expect(parseCallRecord(line)).toEqual(record);
  });

  it("refuses torn or foreign lines", () => {
    const line = serializeCallRecord(makeCallRecord());
    expect(parseCallRecord(line.slice(0, 40))).toBeUndefined();
    expect(parseCallRecord('{"id":"x"}')).toBeUndefined();
    expect(parseCallRecord("null")).toBeUndefined();
  });
});
