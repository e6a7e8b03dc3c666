import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { unpackTar } from "../../src/db/unpack-tar.js";

const root = mkdtempSync(join(tmpdir(), "switchyard-unpack-tar-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let folders = 0;
const folder = () => join(root, `out-${++folders}`);

/** A ustar header (PGlite's dumpDataDir writes names with a leading slash) followed by the data, padded to 512 bytes. */
function entry(name: string, data: Buffer | undefined): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, "utf8");
  header.write(data ? "0000644\0" : "0000755\0", 100, "latin1");
  header.write(`${(data?.length ?? 0).toString(8).padStart(11, "0")}\0`, 124, "latin1");
  header.write(data ? "0" : "5", 156, "latin1");
  header.write("ustar\0", 257, "latin1");
  header.write("00", 263, "latin1");
  const padded = data ? Buffer.alloc(Math.ceil(data.length / 512) * 512) : Buffer.alloc(0);
  data?.copy(padded);
  return Buffer.concat([header, padded]);
}

const END = Buffer.alloc(1024);

describe("unpackTar", () => {
  it("writes folders and files, a file's trailing zero pages as a hole of the same length", () => {
    const page = Buffer.alloc(8192, 1);
    const segment = Buffer.concat([page, Buffer.alloc(8192 * 3)]);
    const odd = Buffer.from("PG_VERSION 18\n");
    const out = folder();
    const files = unpackTar(Buffer.concat([entry("/base", undefined), entry("/base/1/2619", segment), entry("/PG_VERSION", odd), entry("/pg_wal/empty", Buffer.alloc(0)), END]), out);
    expect(files).toBe(3);
    expect(readdirSync(out).sort()).toEqual(["PG_VERSION", "base", "pg_wal"]);
    expect(readFileSync(join(out, "base", "1", "2619")).equals(segment)).toBe(true);
    expect(statSync(join(out, "base", "1", "2619")).size).toBe(segment.length);
    expect(readFileSync(join(out, "PG_VERSION"), "utf8")).toBe("PG_VERSION 18\n");
    expect(statSync(join(out, "pg_wal", "empty")).size).toBe(0);
  });

  it("refuses an archive cut short, inside a file or before its end block", () => {
    const whole = Buffer.concat([entry("/a", Buffer.alloc(2000, 3)), END]);
    expect(() => unpackTar(whole.subarray(0, 1500), folder())).toThrow(/cut short \(in \/a\)/);
    expect(() => unpackTar(whole.subarray(0, 512 + 2048), folder())).toThrow(/cut short \(no end-of-archive block\)/);
  });

  it("refuses entries outside the folder and entries that are neither files nor folders", () => {
    expect(() => unpackTar(Buffer.concat([entry("../escaped", Buffer.from("x")), END]), folder())).toThrow(/outside the folder/);
    const link = entry("/link", Buffer.alloc(0));
    link.write("2", 156, "latin1");
    expect(() => unpackTar(Buffer.concat([link, END]), folder())).toThrow(/of type "2"/);
  });
});
