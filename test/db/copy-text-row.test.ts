import { describe, expect, it } from "vitest";
import { copyTextRow } from "../../src/db/copy-text-row.js";

describe("copyTextRow", () => {
  it("separates fields with tabs, ends the line, and writes NULL as \\N and booleans as t/f", () => {
    expect(copyTextRow(["a", null, true, false, 42, 0.5, "0.000170100"])).toBe("a\t\\N\tt\tf\t42\t0.5\t0.000170100\n");
  });

  it("escapes backslash, tab, newline and carriage return inside strings", () => {
    expect(copyTextRow(["tab\there", "two\nlines", "cr\rlf", "back\\slash"])).toBe("tab\\there\ttwo\\nlines\tcr\\rlf\tback\\\\slash\n");
  });

  it("keeps a literal \\N string apart from NULL", () => {
    expect(copyTextRow(["\\N", null])).toBe("\\\\N\t\\N\n");
  });

  it("leaves plain text untouched", () => {
    expect(copyTextRow(["deploy-5-1", "user-3", ""])).toBe("deploy-5-1\tuser-3\t\n");
  });
});
