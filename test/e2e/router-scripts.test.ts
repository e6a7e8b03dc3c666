import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syntheticRoutingCsv } from "../../src/routing/quality/testing/synthetic-routing-csv.js";

// The router scripts as a user runs them: `npm run -s router:… -- …` in the checkout, in a process
// of their own; stdout is checked line by line (router:score must print nothing but its JSON lines).
interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function npmRun(script: string, args: string[], cwd = process.cwd()): Promise<Run> {
  return new Promise((resolve) => {
    execFile("npm", ["--prefix", process.cwd(), "run", "-s", script, "--", ...args], { cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), "router-scripts-"));
const trainCsv = join(dir, "train.csv");
const scoreCsv = join(dir, "score.csv");
const routerPath = join(dir, "out", "router.json");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  writeFileSync(trainCsv, syntheticRoutingCsv(200));
  // Only a prompt column (and one the scorer must never read), prompts with quotes, commas and line breaks.
  writeFileSync(scoreCsv, 'prompt,strong_correct\n"Prove the theorem, ""carefully"":\nthe integral of x",True\nwhat is the capital city,False\n"",False\n');
  const train = await npmRun("router:train", ["--data", trainCsv, "--out", routerPath, "--folds", "3"]);
  expect(train.stderr).toBe("");
  expect(train.code).toBe(0);
  expect(train.stdout).toMatch(/^train: 200 prompts, 3-fold held-out APGR \d\.\d{3}/m);
  // Without --version: the builtin's format, the outcome stack.
  expect((JSON.parse(readFileSync(routerPath, "utf8")) as { version: number }).version).toBe(3);
}, 120_000);

describe("router scripts", () => {
  it("router:train writes the same file twice from the same data", async () => {
    const again = join(dir, "again.json");
    expect((await npmRun("router:train", ["--data", trainCsv, "--out", again, "--folds", "3"])).code).toBe(0);
    expect(readFileSync(again, "utf8")).toBe(readFileSync(routerPath, "utf8"));
  });

  it("router:score prints one JSON score per row, in order, and nothing else", async () => {
    const run = await npmRun("router:score", ["--data", scoreCsv, "--router", routerPath]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(3);
    const scores = lines.map((line) => {
      const parsed = JSON.parse(line) as { score: number };
      expect(Object.keys(parsed)).toEqual(["score"]);
      expect(parsed.score >= 0 && parsed.score <= 1).toBe(true);
      return parsed.score;
    });
    expect(scores[0]).toBeGreaterThan(scores[1]!);
  });

  it("router:score uses the builtin router by default", async () => {
    const run = await npmRun("router:score", ["--data", scoreCsv]);
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split("\n").map((l) => Object.keys(JSON.parse(l) as object))).toEqual([["score"], ["score"], ["score"]]);
  });

  it("router:score fails with one line naming a missing router file, and prints no scores", async () => {
    const run = await npmRun("router:score", ["--data", scoreCsv, "--router", join(dir, "missing.json")]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr.trim()).toBe(`router file ${join(dir, "missing.json")}: no such file`);
  });

  it("router:eval warns on training prompts, prints router, random and oracle, and writes the SVG", async () => {
    const svg = join(dir, "curve.svg");
    const run = await npmRun("router:eval", ["--data", trainCsv, "--router", routerPath, "--svg", svg]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/WARNING: 200 of 200 prompts \(100%\) were in this router's training data/);
    expect(run.stdout).toMatch(/^router\s+\d\.\d{3}\s+\d+\.\d%\s+\d+\.\d%\s+\d+\.\d%$/m);
    expect(run.stdout).toMatch(/^random\s+0\.500\s+50\.0%\s+80\.0%/m);
    expect(run.stdout).toMatch(/^oracle\s+\d\.\d{3}/m);
    expect(readFileSync(svg, "utf8")).toMatch(/^<svg[^>]*>[\s\S]*<path d="M[\s\S]*<\/svg>\n$/);
  });

  it("router:eval --folds K reports held-out figures without a warning, the SVG in the working folder by default", async () => {
    const run = await npmRun("router:eval", ["--data", trainCsv, "--folds", "3"], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.stdout).toMatch(/3-fold held-out/);
    expect(existsSync(join(dir, "router-eval-train.svg"))).toBe(true);
  });

  it("router:train --version 2 writes a version 2 file (kept for comparison) that router:score reads; router:eval --folds K --version 2 reports its held-out figures", async () => {
    const linear = join(dir, "linear.json");
    const train = await npmRun("router:train", ["--data", trainCsv, "--out", linear, "--folds", "3", "--version", "2"]);
    expect(train.code).toBe(0);
    expect(train.stdout).toMatch(/^train: 200 prompts, 3-fold held-out APGR \d\.\d{3}/m);
    expect((JSON.parse(readFileSync(linear, "utf8")) as { version: number }).version).toBe(2);
    const score = await npmRun("router:score", ["--data", scoreCsv, "--router", linear]);
    expect(score.code).toBe(0);
    expect(score.stdout.trimEnd().split("\n")).toHaveLength(3);
    const evaluated = await npmRun("router:eval", ["--data", trainCsv, "--folds", "3", "--version", "2", "--svg", join(dir, "v2.svg")]);
    expect(evaluated.code).toBe(0);
    expect(evaluated.stdout).toMatch(/3-fold held-out, version 2/);
    const bad = await npmRun("router:train", ["--data", trainCsv, "--out", linear, "--version", "4"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--version must be 2 or 3, not "4"/);
  }, 120_000);

  it("router:eval refuses data without outcomes, naming the file", async () => {
    const run = await npmRun("router:eval", ["--data", join(dir, "noout.csv")]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/noout\.csv: cannot read the file \(ENOENT\)/);
    writeFileSync(join(dir, "noout.csv"), "prompt\nhello\n");
    const again = await npmRun("router:eval", ["--data", join(dir, "noout.csv")]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/the `weak_correct` and `strong_correct` columns are needed/);
  });
});
