import { randomBytes } from "node:crypto";
import { closeSync, ftruncateSync, mkdirSync, openSync, readdirSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { CallRecord } from "../core/index.js";
import { serializeCallRecord } from "./call-record-json.js";

/** A write-ahead file; a record holds one until it is stored, spilled or quarantined. */
export interface WriteAheadSegment {
  readonly path: string;
}

export interface CallWriteAheadLog {
  /**
   * Appends the record's line synchronously (in the OS page cache when this returns, so a killed
   * process does not lose it). Throws when it cannot: the record does not serialize (it will be
   * quarantined anyway) or the disk failed; the caller logs and the call goes on without it.
   */
  append(record: CallRecord): WriteAheadSegment | undefined;
  /** These records need their lines no more; a file whose records are all settled is emptied or deleted. */
  settle(segment: WriteAheadSegment): void;
  /** Deletes the files whose records are all settled and stops appending. */
  close(): void;
}

export interface CallWriteAheadLogOptions {
  dir: string;
  /** Start a new file after this many lines, so a settled file can be deleted while records keep coming. */
  recordsPerFile?: number;
}

interface Segment extends WriteAheadSegment {
  fd: number;
  /** Lines appended and not yet settled. */
  pending: number;
  appended: number;
}

const WAL_FILE = /^wal-.*\.jsonl$/;

/**
 * Moves write-ahead files left by a process that died (nothing settled them) to spill-file names,
 * so the spill replay stores them like any overflow; a record that was stored before the process
 * died is skipped by the insert's ON CONFLICT. Run at start, before this process opens its own.
 * Returns how many files were found.
 */
export function recoverWriteAheadFiles(dir: string): number {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return 0;
    throw error;
  }
  const found = names.filter((name) => WAL_FILE.test(name)).sort();
  // "calls-0…" sorts before every spill file named by a timestamp: these are the oldest records.
  for (const name of found) renameSync(join(dir, name), join(dir, `calls-0-${name}`));
  return found.length;
}

/**
 * The optional write-ahead log of the call log: one JSON line per record (the spill format),
 * appended with a synchronous write before `record()` returns, in files of `recordsPerFile` lines.
 * A file is truncated (the one being appended to) or deleted (an older one) as soon as every
 * record in it is settled, so the files hold only what is in memory.
 *
 * No fsync: a write() has put the line in the page cache, which survives the process being killed
 * but not the machine losing power. Cost on the request path: see the figure in README ("Call log").
 */
export function createCallWriteAheadLog(options: CallWriteAheadLogOptions): CallWriteAheadLog {
  const { dir, recordsPerFile = 10_000 } = options;
  const instance = `${process.pid}-${randomBytes(4).toString("hex")}`;
  let sequence = 0;
  let active: Segment | undefined;
  const retired = new Set<Segment>();
  let closed = false;

  const open = (): Segment => {
    mkdirSync(dir, { recursive: true });
    sequence += 1;
    const path = join(dir, `wal-${instance}-${String(sequence).padStart(6, "0")}.jsonl`);
    return { path, fd: openSync(path, "a"), pending: 0, appended: 0 };
  };

  const remove = (segment: Segment) => {
    closeSync(segment.fd);
    unlinkSync(segment.path);
  };

  return {
    append(record) {
      if (closed) return undefined;
      const line = `${serializeCallRecord(record)}\n`;
      if (active !== undefined && active.appended >= recordsPerFile) {
        if (active.pending === 0) remove(active);
        else retired.add(active);
        active = undefined;
      }
      active ??= open();
      writeSync(active.fd, line);
      active.pending += 1;
      active.appended += 1;
      return active;
    },
    settle(token) {
      // After close() a file with unsettled lines is left for the next start to replay.
      if (closed) return;
      const segment = token as Segment;
      segment.pending -= 1;
      if (segment.pending > 0) return;
      if (segment === active) {
        // O_APPEND: the next line goes to the new end, offset 0.
        ftruncateSync(segment.fd, 0);
        segment.appended = 0;
      } else if (retired.delete(segment)) {
        remove(segment);
      }
    },
    close() {
      closed = true;
      for (const segment of [...retired, ...(active ? [active] : [])]) {
        if (segment.pending === 0) remove(segment);
        else closeSync(segment.fd);
      }
      retired.clear();
      active = undefined;
    },
  };
}
