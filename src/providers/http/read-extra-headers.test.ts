import { describe, expect, it } from "vitest";
import { readExtraHeaders } from "./read-extra-headers.js";

describe("readExtraHeaders", () => {
  it("lower-cases names and keeps string values only", () => {
    expect(readExtraHeaders({ "X-Proxy-Key": "k", Authorization: "Bearer t", count: 3, nested: { a: "b" } })).toEqual({
      "x-proxy-key": "k",
      authorization: "Bearer t",
    });
  });

  it("gives no headers for a setting that is not an object", () => {
    expect(readExtraHeaders(undefined)).toEqual({});
    expect(readExtraHeaders("x-a: b")).toEqual({});
    expect(readExtraHeaders(null)).toEqual({});
  });
});
