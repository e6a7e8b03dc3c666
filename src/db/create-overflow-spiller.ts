import type { CallRecord } from "../core/index.js";
import type { CallSpillStore, UnserializableCall } from "./call-spill-store.js";

export interface OverflowSpiller<T extends { record: CallRecord }> {
  /** Queues entries for the spill file; one append runs at a time. */
  push(entries: readonly T[]): void;
  /** Entries queued and not yet appended. */
  readonly pending: number;
  /** Resolves when nothing is queued or being appended. */
  idle(): Promise<void>;
}

export interface OverflowSpillerOptions<T> {
  spill: CallSpillStore;
  /** The entries are on disk, except `unserializable` (not written: quarantine them). */
  spilled(entries: readonly T[], unserializable: UnserializableCall[]): Promise<void>;
  /** The append failed: the entries are handed back (to be kept in memory rather than lost). */
  failed(entries: T[], error: unknown): void;
}

/** The call log's overflow to disk: entries past the memory bound, appended in order, one append at a time. */
export function createOverflowSpiller<T extends { record: CallRecord }>(options: OverflowSpillerOptions<T>): OverflowSpiller<T> {
  let queued: T[] = [];
  let writing: Promise<void> | undefined;

  const start = () => {
    if (writing) return;
    writing = (async () => {
      while (queued.length > 0) {
        const chunk = queued;
        queued = [];
        let unserializable: UnserializableCall[];
        try {
          unserializable = await options.spill.append(chunk.map((entry) => entry.record));
        } catch (error) {
          options.failed(chunk, error);
          return;
        }
        await options.spilled(chunk, unserializable);
      }
    })().finally(() => {
      writing = undefined;
      if (queued.length > 0) start();
    });
  };

  return {
    push(entries) {
      queued.push(...entries);
      start();
    },
    get pending() {
      return queued.length;
    },
    async idle() {
      while (writing) await writing;
    },
  };
}
