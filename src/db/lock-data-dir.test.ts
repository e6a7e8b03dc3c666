import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createDatabase } from "./create-database.js";
import { DataDirLockedError, lockDataDir } from "./lock-data-dir.js";

const dirs: string[] = [];
function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), "switchyard-lock-"));
  dirs.push(dir);
  return join(dir, "pgdata");
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The pid of a process that has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(child.stdout);
}

describe("lockDataDir", () => {
  it("refuses a folder another live process holds, naming the folder and its pid", () => {
    const dataDir = folder();
    // The parent process is alive and is not this one.
    writeFileSync(`${dataDir}.lock`, `${process.ppid}\n`);
    let error: unknown;
    try {
      lockDataDir(dataDir);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DataDirLockedError);
    expect((error as DataDirLockedError).pid).toBe(process.ppid);
    expect((error as Error).message).toContain(dataDir);
    expect((error as Error).message).toContain(`pid ${process.ppid}`);
    expect(readFileSync(`${dataDir}.lock`, "utf8").trim()).toBe(String(process.ppid));
  });

  it("refuses a second lock on the same folder in the same process, and allows it again after release", () => {
    const dataDir = folder();
    const lock = lockDataDir(dataDir);
    expect(() => lockDataDir(dataDir)).toThrow(DataDirLockedError);
    lock.release();
    expect(existsSync(lock.file)).toBe(false);
    lockDataDir(dataDir).release();
  });

  it("takes over the lock of a process that has ended", () => {
    const dataDir = folder();
    writeFileSync(`${dataDir}.lock`, `${deadPid()}\n`);
    const lock = lockDataDir(dataDir);
    expect(readFileSync(lock.file, "utf8").trim()).toBe(String(process.pid));
    lock.release();
  });

  it("takes over a lock naming this process's pid that this process does not hold (a container's pid 1 after a restart)", () => {
    const dataDir = folder();
    writeFileSync(`${dataDir}.lock`, `${process.pid}\n`);
    const lock = lockDataDir(dataDir);
    expect(() => lockDataDir(dataDir)).toThrow(DataDirLockedError);
    lock.release();
  });

  it("createDatabase fails at once on a locked folder and releases the lock when closed", async () => {
    const dataDir = folder();
    const first = await createDatabase({ dataDir });
    await expect(createDatabase({ dataDir })).rejects.toThrow(/in use by another Switchyard process \(pid \d+/);
    await first.close();
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
    const again = await createDatabase({ dataDir });
    await again.close();
  });
});
