import { describe, expect, it } from "vitest";
import { parseGoDuration } from "./parse-go-duration.js";

describe("parseGoDuration", () => {
  it.each([
    ["120ms", 120],
    ["8.64s", 8640],
    ["1m30s", 90_000],
    ["6m0s", 360_000],
    ["1s", 1000],
    ["0s", 0],
    ["1h2m3s", 3_723_000],
    ["2m59.56s", 179_560],
    ["1.5h", 5_400_000],
    ["250us", 0.25],
    ["500µs", 0.5],
    ["1.s", 1000],
    [".5s", 500],
    ["3ns", 0],
    ["1m0.5ms", 60_000.5],
    [" 2s ", 2000],
  ])("%s is %d ms", (text, ms) => {
    expect(parseGoDuration(text)).toBe(ms);
  });

  it("reads a bare number as seconds", () => {
    expect(parseGoDuration("7")).toBe(7000);
    expect(parseGoDuration("0.25")).toBe(250);
  });

  it.each(["", "s", "1x", "1m30", "ten seconds", "-1s", "1s garbage"])("rejects %j", (text) => {
    expect(parseGoDuration(text)).toBeUndefined();
  });
});
