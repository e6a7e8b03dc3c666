import type { CallRecord } from "../core/index.js";
import type { CallLogLogger } from "./call-log-writer-spec.js";
import type { CallSpillStore } from "./call-spill-store.js";
import { rootCauseMessage } from "./call-write-error.js";

export interface ReplayOptions {
  spill: CallSpillStore;
  batchSize: number;
  /** Stores a batch or throws (the file then stays, to be replayed again: stored ids are skipped). */
  writeRecords: (records: readonly CallRecord[]) => Promise<void>;
  logger: CallLogLogger | undefined;
}

/** Writes the oldest spill file back and deletes it; the number of records, or undefined when none is left. */
export async function replayOldestSpillFile(options: ReplayOptions): Promise<number | undefined> {
  const { spill, batchSize, writeRecords, logger } = options;
  let path: string | undefined;
  let records: CallRecord[];
  try {
    [path] = await spill.listReplayable();
    if (path === undefined) return undefined;
    const read = await spill.read(path);
    records = read.records;
    if (read.badLines > 0) logger?.warn({ path, badLines: read.badLines }, "skipped unreadable lines in a call spill file");
  } catch (error) {
    // A file we cannot read is not the database's fault: stop replaying until the next spill.
    logger?.error({ path, err: rootCauseMessage(error) }, "cannot read call spill files");
    return undefined;
  }
  for (let start = 0; start < records.length; start += batchSize) await writeRecords(records.slice(start, start + batchSize));
  await spill.remove(path);
  return records.length;
}
