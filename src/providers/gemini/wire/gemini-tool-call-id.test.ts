import { describe, expect, it } from "vitest";
import { decodeGeminiThoughtSignature, encodeGeminiToolCallId } from "./gemini-tool-call-id.js";

describe("Gemini tool call ids", () => {
  it("are call_<index> or Gemini's own id when there is no signature", () => {
    expect(encodeGeminiToolCallId(2, undefined, undefined)).toBe("call_2");
    expect(encodeGeminiToolCallId(2, "fc-abc", undefined)).toBe("fc-abc");
    expect(decodeGeminiThoughtSignature("call_2")).toBeUndefined();
  });

  it("carry a thought signature through the id and back, in an id-safe alphabet", () => {
    for (const signature of ["CiQB0e2Kb+/sig==", "Zm9vYmFy", "a+b/c=", "//ts//x="]) {
      const id = encodeGeminiToolCallId(0, undefined, signature);
      expect(id).toMatch(/^call_0__ts__[A-Za-z0-9_-]+$/);
      // "//ts//" becomes the separator text in base64url: the first separator must still win.
      expect(decodeGeminiThoughtSignature(id)?.replace(/=+$/, "")).toBe(signature.replace(/=+$/, ""));
    }
  });
});
