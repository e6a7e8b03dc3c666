import { describe, expect, it } from "vitest";
import { GatewayError } from "../core/index.js";
import type { CompletionCommand } from "./completion-types.js";
import { jsonDepth } from "./json-depth.js";
import { REQUEST_LIMITS } from "./request-limits.js";
import { validateCallFields } from "./validate-call-fields.js";

const nested = (levels: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = i % 2 ? { a: value } : [value];
  return value;
};

const command = (extra: Partial<CompletionCommand> = {}, request: Partial<CompletionCommand["request"]> = {}): CompletionCommand => ({
  request: { model: "fast", messages: [{ role: "user", content: "hi" }], ...request },
  ...extra,
});

function refusal(run: () => void): { field: unknown; message: string } {
  try {
    run();
  } catch (error) {
    if (!GatewayError.isInstance(error) || error.code !== "BAD_USER_INPUT") throw error;
    return { field: error.details.field, message: error.message };
  }
  throw new Error("not refused");
}

describe("jsonDepth", () => {
  it("counts containers and stops one past the limit without recursing", () => {
    expect(jsonDepth(1, 5)).toBe(0);
    expect(jsonDepth({}, 5)).toBe(1);
    expect(jsonDepth({ a: [1, { b: 2 }] }, 5)).toBe(3);
    expect(jsonDepth(nested(200_000), 32)).toBe(33);
  });

  it("walks arrays and objects alike, own keys only", () => {
    expect(jsonDepth([[[]], {}, [1, [2, [3]]]], 10)).toBe(4);
    expect(jsonDepth({ a: [1, { b: { c: "x" } }], d: null }, 10)).toBe(4);
    expect(jsonDepth({ inherited: Object.create({ hidden: { deeper: {} } }) }, 10)).toBe(2);
  });
});

describe("validateCallFields", () => {
  it("accepts an ordinary request, emoji and all", () => {
    expect(() => validateCallFields(command({ metadata: { feature: "chat 🚀", n: [1, { ok: true }] } }, { user: "u-1 ü" }))).not.toThrow();
  });

  it("bounds metadata depth and size", () => {
    expect(() => validateCallFields(command({ metadata: { a: nested(REQUEST_LIMITS.metadataDepth - 1) } }))).not.toThrow();
    expect(refusal(() => validateCallFields(command({ metadata: { a: nested(REQUEST_LIMITS.metadataDepth) } })))).toMatchObject({ field: "metadata" });
    expect(refusal(() => validateCallFields(command({ metadata: { a: nested(100_000) } }))).message).toMatch(/deeper than 32/);
    expect(refusal(() => validateCallFields(command({ metadata: { a: "x".repeat(REQUEST_LIMITS.metadataBytes) } }))).message).toMatch(/bytes/);
  });

  it("names the field that holds a NUL or an unpaired surrogate, in keys and values", () => {
    expect(refusal(() => validateCallFields(command({ metadata: { a: { b: ["ok", "x\u0000"] } } }))).field).toBe("metadata.a.b[1]");
    expect(refusal(() => validateCallFields(command({ metadata: { a: { "k\ud800": 1 } } }))).field).toBe("metadata.a (a key)");
    expect(refusal(() => validateCallFields(command({}, { user: "\udc00x" }))).field).toBe("user");
    expect(refusal(() => validateCallFields(command({}, { model: "fa\u0000st" }))).field).toBe("model");
    expect(refusal(() => validateCallFields(command({ routing: { fallbacks: ["ok", "\ud83d"] } }))).field).toBe("routing.fallbacks[1]");
    expect(refusal(() => validateCallFields(command({}, { tools: [{ name: "t\u0000" }] }))).field).toBe("tools[0].name");
    expect(refusal(() => validateCallFields(command({}, { toolChoice: { name: "\udfff" } }))).field).toBe("toolChoice");
    // A surrogate pair is a character, not a lone surrogate.
    expect(() => validateCallFields(command({ metadata: { "😀": "😀" } }, { user: "😀" }))).not.toThrow();
  });

  it("bounds user and names by length", () => {
    expect(refusal(() => validateCallFields(command({}, { user: "u".repeat(REQUEST_LIMITS.userChars + 1) }))).field).toBe("user");
    expect(refusal(() => validateCallFields(command({}, { model: "m".repeat(REQUEST_LIMITS.nameChars + 1) }))).field).toBe("model");
  });

  it("bounds JSON sent upstream only by depth, and leaves message content alone", () => {
    const deepSchema = nested(REQUEST_LIMITS.schemaDepth + 1) as Record<string, unknown>;
    expect(refusal(() => validateCallFields(command({}, { tools: [{ name: "t", parameters: deepSchema }] }))).field).toBe("tools[0].parameters");
    expect(
      refusal(() => validateCallFields(command({}, { responseFormat: { type: "json_schema", name: "r", schema: deepSchema } }))).field,
    ).toBe("responseFormat.schema");
    expect(() => validateCallFields(command({}, { messages: [{ role: "user", content: "a\u0000\ud800" }] }))).not.toThrow();
  });
});
