import { execFile } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../..", import.meta.url));
const script = join(root, "scripts", "list-database-tests.mjs");

function allTestFiles(): string[] {
  return ["src", "test"]
    .flatMap((folder) => readdirSync(join(root, folder), { recursive: true, encoding: "utf8" }).map((path) => join(folder, path)))
    .filter((path) => path.endsWith(".test.ts"))
    .map((path) => relative(root, join(root, path)))
    .sort();
}

const lines = (text: string): string[] => text.split("\n").filter((line) => line !== "");

let database: string[];
let others: string[];

beforeAll(async () => {
  database = lines((await run(process.execPath, [script], { cwd: root })).stdout);
  others = lines((await run(process.execPath, [script, "--others"], { cwd: root })).stdout);
});

describe("scripts/list-database-tests.mjs (the files .ci/run runs again on Postgres)", () => {
  it("splits every test file into exactly one of its two lists", () => {
    expect([...database, ...others].sort()).toEqual(allTestFiles());
    expect(database.filter((file) => others.includes(file))).toEqual([]);
  });

  it("lists every file that opens a database or reads DATABASE_URL itself", () => {
    const direct = allTestFiles().filter((file) => /createTestDatabase|startTestGateway|createDatabase|DATABASE_URL/.test(readFileSync(join(root, file), "utf8")));
    expect(direct.length).toBeGreaterThan(20);
    expect(direct.filter((file) => !database.includes(file))).toEqual([]);
  });

  it("follows imports through helpers: the conformance matrix reaches its gateway's database through test/conformance", () => {
    const matrix = readFileSync(join(root, "test/conformance/conformance-matrix.test.ts"), "utf8");
    expect(matrix).not.toMatch(/createTestDatabase|startTestGateway|DATABASE_URL/);
    expect(database).toContain("test/conformance/conformance-matrix.test.ts");
  });

  it("lists files that start other processes, whose imports it cannot follow", () => {
    expect(database).toContain("src/accounting/generate-prices.test.ts");
  });

  it("leaves out a file whose imports reach no database", () => {
    expect(others).toContain("src/providers/openai/wire/openai-codec.test.ts");
    expect(others).toContain("src/accounting/compute-cost.test.ts");
  });
});
