import { describe, expect, it } from "vitest";
import { fallbackErrorMessage } from "./fallback-error-message.js";

describe("fallbackErrorMessage", () => {
  it("appends the trimmed body to the prefix", () => {
    expect(fallbackErrorMessage("HTTP 502", "  Bad gateway \n")).toBe("HTTP 502: Bad gateway");
  });

  it("cuts a long body at 300 characters with an ellipsis", () => {
    const message = fallbackErrorMessage("HTTP 413", "y".repeat(301));
    expect(message).toBe(`HTTP 413: ${"y".repeat(300)}…`);
    expect(fallbackErrorMessage("HTTP 413", "y".repeat(300))).toBe(`HTTP 413: ${"y".repeat(300)}`);
  });

  it("shows the detail, else the prefix alone, when the body is empty", () => {
    expect(fallbackErrorMessage("error event in stream", undefined)).toBe("error event in stream");
    expect(fallbackErrorMessage("HTTP 500", "   ")).toBe("HTTP 500");
    expect(fallbackErrorMessage("HTTP 500", "", "api_error")).toBe("HTTP 500: api_error");
    expect(fallbackErrorMessage("HTTP 500", "oops", "api_error")).toBe("HTTP 500: oops");
  });
});
