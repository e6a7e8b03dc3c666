import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readSafelist } from "../app/read-safelist.js";
import { ConfigError } from "../config/index.js";
import { parseSafelistManifest, queryHash, safelistRefusal } from "./safelist.js";

const body = "query Models { models { name } }";
const manifest = (operations: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ format: "apollo-persisted-query-manifest", version: 1, operations, ...extra });

describe("safelist", () => {
  it("reads an Apollo persisted query manifest into operations by SHA-256", () => {
    const safelist = parseSafelistManifest(manifest([{ id: queryHash(body), name: "Models", type: "query", body }]));
    expect(safelist.get(queryHash(body))).toEqual({ id: queryHash(body), name: "Models", type: "query", body });
    expect(safelistRefusal(safelist, queryHash(body))).toBeUndefined();
  });

  it("refuses an operation it does not list, and everything when none is configured, with a typed error", () => {
    const safelist = parseSafelistManifest(manifest([]));
    expect(safelistRefusal(safelist, queryHash("{ other }"))?.extensions).toEqual({ code: "PERSISTED_QUERY_NOT_IN_LIST", sha256Hash: queryHash("{ other }") });
    expect(safelistRefusal(undefined, queryHash(body))?.message).toMatch(/no safelist is configured \(server\.graphql\.safelist\)/);
  });

  it("lists every problem of a bad manifest", () => {
    expect(() => parseSafelistManifest("{")).toThrow(/not JSON/);
    expect(() => parseSafelistManifest(manifest([{ id: "abc", name: "Models", type: "query", body }], { version: 2 }))).toThrow(
      /version: expected 1, got 2; operations\[0\]\.id: abc is not the SHA-256 of its body/,
    );
    expect(() => parseSafelistManifest(manifest([{ id: queryHash(body), name: 1, type: "fragment", body }]))).toThrow(/operations\[0\]\.name.*operations\[0\]\.type/);
  });

  it("stops the start naming the config path when the file is missing or bad", () => {
    const dir = mkdtempSync(join(tmpdir(), "switchyard-safelist-"));
    try {
      const missing = join(dir, "missing.json");
      expect(() => readSafelist(missing)).toThrow(ConfigError);
      expect(() => readSafelist(missing)).toThrow(`server.graphql.safelist.manifest: cannot read ${missing} (ENOENT)`);
      const bad = join(dir, "bad.json");
      writeFileSync(bad, JSON.stringify({ format: "something else", version: 1, operations: [] }));
      expect(() => readSafelist(bad)).toThrow(/server\.graphql\.safelist\.manifest: .*bad\.json is not an Apollo persisted query manifest: format: expected "apollo-persisted-query-manifest"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
