import { mkdirSync, readdirSync, renameSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import type { Logger } from "pino";

/** Every answer of a cluster worker names the process that served it (its pid). */
export const WORKER_HEADER = "x-switchyard-worker";

/** How the primary tells a worker which slot (1…N) it fills; a restarted worker takes its predecessor's. */
export const WORKER_SLOT_VARIABLE = "SWITCHYARD_WORKER_SLOT";

/** `server.workers` as a number of processes: "auto" is one per core this process may use. */
export function workerCount(setting: number | "auto"): number {
  return setting === "auto" ? availableParallelism() : setting;
}

/** The slot a worker process fills, from its environment (set by the primary). */
export function workerSlotOf(env: NodeJS.ProcessEnv): number {
  const slot = Number(env[WORKER_SLOT_VARIABLE]);
  return Number.isInteger(slot) && slot >= 1 ? slot : 1;
}

/**
 * The call log's spill folder (overflow and write-ahead files): one per writer, since a writer
 * replays — and at start takes over the write-ahead files of — everything in its folder. A single
 * process uses `spill`, worker N `spill/worker-N`.
 */
export function spillDirOf(stateDir: string, slot?: number): string {
  return slot === undefined ? join(stateDir, "spill") : join(stateDir, "spill", `worker-${slot}`);
}

/** Spill and write-ahead files a writer replays (quarantine files stay where they are, for a person). */
const REPLAYABLE = /^(calls|wal)-.*\.jsonl$/;

/**
 * Before any writer opens, moves the replayable files of writers that will not run again to one
 * that will, so that changing `server.workers` loses nothing: with `workers` > 1 the single
 * process's files and those of slots above `workers` go to slot 1; with 1 every slot's go to the
 * single process's folder. Returns how many files moved; a file that cannot be moved stays where it
 * is (the error is thrown, for the caller to log: the start goes on).
 */
export function gatherSpillFiles(stateDir: string, workers: number): number {
  const root = spillDirOf(stateDir);
  const target = workers > 1 ? spillDirOf(stateDir, 1) : root;
  const sources: string[] = [];
  if (workers > 1) sources.push(root);
  for (const name of list(root)) {
    const slot = /^worker-(\d+)$/.exec(name)?.[1];
    if (slot !== undefined && (workers === 1 || Number(slot) > workers)) sources.push(join(root, name));
  }
  let moved = 0;
  for (const source of sources) {
    const files = list(source).filter((name) => REPLAYABLE.test(name));
    if (files.length === 0) continue;
    mkdirSync(target, { recursive: true });
    for (const name of files) {
      renameSync(join(source, name), join(target, name));
      moved += 1;
    }
  }
  return moved;
}

/** gatherSpillFiles at start, logged; a failure is a warning (the files stay for a later start), not a failed start. */
export function handOverSpillFiles(stateDir: string, workers: number, logger: Pick<Logger, "info" | "warn">): void {
  try {
    const moved = gatherSpillFiles(stateDir, workers);
    if (moved > 0) logger.info({ files: moved, to: workers > 1 ? spillDirOf(stateDir, 1) : spillDirOf(stateDir) }, "call log: took over the spill files of writers that no longer run");
  } catch (error) {
    logger.warn({ err: error }, "call log: could not take over the spill files of writers that no longer run; they stay where they are");
  }
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (error) {
    // Nothing there, or a file where the folder should be (the writer reports that one itself).
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return [];
    throw error;
  }
}
