import { linkSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";

/** Another live process holds the embedded database folder. */
export class DataDirLockedError extends Error {
  override readonly name = "DataDirLockedError";
  constructor(
    readonly dataDir: string,
    readonly lockFile: string,
    readonly pid: number,
  ) {
    super(
      `The embedded database folder ${dataDir} is in use by another Switchyard process (pid ${pid}, lock file ${lockFile}). ` +
        "Stop that process, or give this one its own database.dataDir (or a DATABASE_URL).",
    );
  }
}

export interface DataDirLock {
  /** The lock file, `<dataDir>.lock` beside the folder. */
  file: string;
  /** Removes the lock file if it is still ours; safe to call twice. */
  release(): void;
}

/** Folders this process holds: a lock file naming our own pid that is not in here was left by an earlier process (a container's pid 1). */
const heldHere = new Set<string>();

/**
 * Takes the embedded database folder for this process: `<dataDir>.lock` is created exclusively and
 * holds our pid. A lock whose pid is alive fails at once (DataDirLockedError); one whose process is
 * gone (a crash, a kill -9) is taken over.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  const folder = resolve(dataDir);
  const file = `${folder}.lock`;
  for (let tries = 0; ; tries++) {
    // Written whole under a private name, then linked into place: link fails when the lock exists,
    // and a lock file is never seen half-written.
    const draft = `${file}.${process.pid}.${tries}`;
    writeFileSync(draft, `${process.pid}\n`);
    try {
      linkSync(draft, file);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || tries >= 3) throw error;
      const holder = readPid(file);
      if (holder !== undefined && isAlive(holder)) throw new DataDirLockedError(folder, file, holder);
      // Stale (its process is gone, or the file is unreadable half-written junk): take it over.
      try {
        unlinkSync(file);
      } catch (unlinkError) {
        if ((unlinkError as NodeJS.ErrnoException).code !== "ENOENT") throw unlinkError;
      }
    } finally {
      unlinkSync(draft);
    }
  }
  heldHere.add(file);
  let released = false;
  return {
    file,
    release() {
      if (released) return;
      released = true;
      heldHere.delete(file);
      try {
        if (readPid(file) === process.pid) unlinkSync(file);
      } catch {
        // Gone already: nothing to release.
      }
    },
  };

  function isAlive(pid: number): boolean {
    if (pid === process.pid) return heldHere.has(file);
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      // EPERM: the process exists but belongs to another user.
      return (error as NodeJS.ErrnoException).code === "EPERM";
    }
  }
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, "utf8").trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
