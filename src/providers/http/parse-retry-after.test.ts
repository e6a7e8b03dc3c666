import { describe, expect, it } from "vitest";
import { parseRetryAfter } from "./parse-retry-after.js";

const NOW = Date.parse("2025-10-27T12:00:00Z");
const now = () => NOW;

describe("parseRetryAfter", () => {
  it("prefers retry-after-ms (float milliseconds) over retry-after", () => {
    expect(parseRetryAfter({ "retry-after-ms": "644.5", "retry-after": "3" }, now)).toBe(644.5);
  });

  it("reads retry-after as seconds", () => {
    expect(parseRetryAfter({ "retry-after": "3" }, now)).toBe(3000);
    expect(parseRetryAfter({ "retry-after": "0.5" }, now)).toBe(500);
    expect(parseRetryAfter({ "retry-after": "0" }, now)).toBe(0);
  });

  it("reads retry-after as an HTTP-date relative to now", () => {
    expect(parseRetryAfter({ "retry-after": "Mon, 27 Oct 2025 12:00:07 GMT" }, now)).toBe(7000);
    // A date already past means "now".
    expect(parseRetryAfter({ "retry-after": "Mon, 27 Oct 2025 11:59:00 GMT" }, now)).toBe(0);
  });

  it("ignores values outside 0–60 s", () => {
    expect(parseRetryAfter({ "retry-after": "61" }, now)).toBeUndefined();
    expect(parseRetryAfter({ "retry-after": "-1" }, now)).toBeUndefined();
    expect(parseRetryAfter({ "retry-after-ms": "60001" }, now)).toBeUndefined();
    expect(parseRetryAfter({ "retry-after": "Mon, 27 Oct 2025 13:00:00 GMT" }, now)).toBeUndefined();
    expect(parseRetryAfter({ "retry-after": "60" }, now)).toBe(60_000);
  });

  it("falls back to retry-after when retry-after-ms is unusable", () => {
    expect(parseRetryAfter({ "retry-after-ms": "soon", "retry-after": "2" }, now)).toBe(2000);
    expect(parseRetryAfter({ "retry-after-ms": "900000", "retry-after": "2" }, now)).toBe(2000);
  });

  it("gives undefined without usable headers", () => {
    expect(parseRetryAfter({}, now)).toBeUndefined();
    expect(parseRetryAfter({ "retry-after": "" }, now)).toBeUndefined();
    expect(parseRetryAfter({ "retry-after": "whenever" }, now)).toBeUndefined();
  });

  it("reads the first of repeated headers", () => {
    expect(parseRetryAfter({ "retry-after": ["1", "9"] }, now)).toBe(1000);
  });
});
