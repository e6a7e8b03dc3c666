import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { gatherSpillFiles, spillDirOf, workerCount, workerSlotOf } from "./worker-slots.js";

describe("worker slots", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const stateDir = (files: Record<string, string[]>) => {
    const dir = mkdtempSync(join(tmpdir(), "switchyard-slots-"));
    dirs.push(dir);
    for (const [folder, names] of Object.entries(files)) {
      mkdirSync(join(dir, folder), { recursive: true });
      for (const name of names) writeFileSync(join(dir, folder, name), "{}\n");
    }
    return dir;
  };
  const list = (dir: string) => {
    try {
      return readdirSync(dir).filter((name) => name.endsWith(".jsonl")).sort();
    } catch {
      return [];
    }
  };

  it("gives the files of writers that will not run again to one that will, quarantine files left alone", () => {
    const dir = stateDir({
      spill: ["calls-1.jsonl", "wal-1.jsonl", "quarantine-1.jsonl"],
      "spill/worker-2": ["calls-2.jsonl"],
      "spill/worker-3": ["calls-3.jsonl", "wal-3.jsonl"],
    });
    expect(gatherSpillFiles(dir, 2)).toBe(4);
    expect(list(spillDirOf(dir, 1))).toEqual(["calls-1.jsonl", "calls-3.jsonl", "wal-1.jsonl", "wal-3.jsonl"]);
    expect(list(spillDirOf(dir, 2))).toEqual(["calls-2.jsonl"]);
    expect(list(spillDirOf(dir))).toEqual(["quarantine-1.jsonl"]);

    expect(gatherSpillFiles(dir, 1)).toBe(5);
    expect(list(spillDirOf(dir))).toEqual(["calls-1.jsonl", "calls-2.jsonl", "calls-3.jsonl", "quarantine-1.jsonl", "wal-1.jsonl", "wal-3.jsonl"]);
    expect(gatherSpillFiles(stateDir({}), 4)).toBe(0);
    // A file where the spill folder should be: nothing to hand over (the call log reports it when it spills).
    const blocked = stateDir({});
    writeFileSync(join(blocked, "spill"), "");
    expect(gatherSpillFiles(blocked, 1)).toBe(0);
    expect(gatherSpillFiles(blocked, 2)).toBe(0);
  });

  it("reads the count and the slot", () => {
    expect(workerCount(3)).toBe(3);
    expect(workerCount("auto")).toBeGreaterThanOrEqual(1);
    expect(workerSlotOf({ SWITCHYARD_WORKER_SLOT: "2" })).toBe(2);
    expect(workerSlotOf({})).toBe(1);
  });
});
