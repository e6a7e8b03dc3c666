import { randomBytes } from "node:crypto";
import { appendFile, mkdir, readdir, readFile, unlink } from "node:fs/promises";
import { join } from "node:path";
import type { CallRecord } from "../core/index.js";
import { parseCallRecord, serializeCallRecord } from "./call-record-json.js";
import { quarantineLine } from "./quarantine-line.js";

export interface CallSpillStoreOptions {
  /** One directory per writer: files found here are replayed into the database. */
  dir: string;
  now?: () => number;
  /** Rotate after this many records so one replay step stays bounded in memory. */
  recordsPerFile?: number;
}

export interface CallSpillStore {
  /**
   * Appends records as JSON lines; calls are serialized so lines never interleave. Returns the
   * records that cannot be serialized (they are not written: the caller quarantines them).
   */
  append(records: readonly CallRecord[]): Promise<UnserializableCall[]>;
  /** Closes the file being appended to and lists spill files, oldest first. */
  listReplayable(): Promise<string[]>;
  /** Reads a spill file; lines that do not parse (a torn write) are counted, not returned. */
  read(path: string): Promise<{ records: CallRecord[]; badLines: number }>;
  remove(path: string): Promise<void>;
  /**
   * Keeps records that can never be stored in `quarantine-*.jsonl` (never replayed), one line per
   * record with the error; a record that cannot be serialized is kept in a truncated form.
   */
  quarantine(items: ReadonlyArray<{ record: CallRecord; error: unknown }>): Promise<void>;
}

export interface UnserializableCall {
  record: CallRecord;
  error: unknown;
}

const SPILL_FILE = /^calls-.*\.jsonl$/;

/** Disk overflow for the call log when the database cannot keep up or is down. */
export function createCallSpillStore(options: CallSpillStoreOptions): CallSpillStore {
  const { dir, now = Date.now, recordsPerFile = 10_000 } = options;
  const instance = `${process.pid}-${randomBytes(4).toString("hex")}`;
  let sequence = 0;
  let active: { path: string; records: number } | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  let quarantineFile: string | undefined;

  // Timestamp first so that sorting names sorts files by age.
  const fileName = (prefix: string) => {
    const stamp = new Date(now()).toISOString().replace(/[-:.]/g, "");
    sequence += 1;
    return join(dir, `${prefix}-${stamp}-${String(sequence).padStart(6, "0")}-${instance}.jsonl`);
  };

  const serially = <T>(task: () => Promise<T>): Promise<T> => {
    const result = queue.then(task);
    queue = result.catch(() => undefined);
    return result;
  };

  /** One line per record; one that does not serialize is set aside rather than failing the rest. */
  const toLines = (records: readonly CallRecord[]) => {
    let text = "";
    const unserializable: UnserializableCall[] = [];
    let written = 0;
    for (const record of records) {
      try {
        text += `${serializeCallRecord(record)}\n`;
        written += 1;
      } catch (error) {
        unserializable.push({ record, error });
      }
    }
    return { text, written, unserializable };
  };

  return {
    append: (records) =>
      serially(async () => {
        const unserializable: UnserializableCall[] = [];
        if (records.length === 0) return unserializable;
        await mkdir(dir, { recursive: true });
        let offset = 0;
        while (offset < records.length) {
          if (active === undefined || active.records >= recordsPerFile) active = { path: fileName("calls"), records: 0 };
          const take = Math.min(recordsPerFile - active.records, records.length - offset);
          const lines = toLines(records.slice(offset, offset + take));
          unserializable.push(...lines.unserializable);
          if (lines.written > 0) await appendFile(active.path, lines.text);
          active.records += lines.written;
          offset += take;
        }
        return unserializable;
      }),
    listReplayable: () =>
      serially(async () => {
        active = undefined;
        let names: string[];
        try {
          names = await readdir(dir);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
          throw error;
        }
        return names.filter((name) => SPILL_FILE.test(name)).sort().map((name) => join(dir, name));
      }),
    read: async (path) => {
      const text = await readFile(path, "utf8");
      const records: CallRecord[] = [];
      let badLines = 0;
      for (const line of text.split("\n")) {
        if (line.trim() === "") continue;
        const record = parseCallRecord(line);
        if (record) records.push(record);
        else badLines += 1;
      }
      return { records, badLines };
    },
    remove: async (path) => {
      await unlink(path).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== "ENOENT") throw error;
      });
    },
    quarantine: (items) =>
      serially(async () => {
        if (items.length === 0) return;
        await mkdir(dir, { recursive: true });
        quarantineFile ??= fileName("quarantine");
        const at = new Date(now());
        await appendFile(quarantineFile, items.map((item) => quarantineLine(item.record, item.error, at)).join(""));
      }),
  };
}
