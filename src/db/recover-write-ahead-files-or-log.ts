import type { CallLogWriterOptions } from "./call-log-writer-spec.js";
import { recoverWriteAheadFiles } from "./call-write-ahead-log.js";
import { rootCauseMessage } from "./call-write-error.js";

export function recoverWriteAheadFilesOrLog(dir: string, logger: CallLogWriterOptions["logger"]): number {
  try {
    return recoverWriteAheadFiles(dir);
  } catch (error) {
    logger?.error({ dir, err: rootCauseMessage(error) }, "cannot move the call write-ahead files of an earlier process to replay them; they stay where they are");
    return 0;
  }
}
