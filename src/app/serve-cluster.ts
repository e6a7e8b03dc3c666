import cluster, { type Worker } from "node:cluster";
import type { Logger } from "pino";
import type { Config, RuntimeSettings } from "../config/index.js";
import { createDatabase } from "../db/index.js";
import { announceStart } from "./announce-start.js";
import { answerMetricsForWorkers } from "./cluster-metrics.js";
import { drainOnSignals } from "./drain-on-signals.js";
import { DEFAULT_STATE_DIR, type StartOptions } from "./start-options.js";
import { startSwitchyard } from "./start-switchyard.js";
import { handOverSpillFiles, WORKER_SLOT_VARIABLE, workerSlotOf } from "./worker-slots.js";

const LISTENING = "switchyard:listening";

interface Listening {
  type: typeof LISTENING;
  url: string;
  listening: string;
  database: string;
}

/** A worker that lived this long before dying is restarted after the shortest pause again. */
const STABLE_AFTER_MS = 60_000;
const FIRST_RESTART_MS = 1_000;
const MAX_RESTART_MS = 30_000;

/**
 * A cluster worker: the whole gateway on the shared port (its own database pool, call-log writer,
 * rollup merger and key directory; limits and budgets in the shared Redis), without migrations
 * (the primary ran them) or a banner (the primary prints it). It tells the primary once it listens.
 */
export async function serveWorker(options: StartOptions): Promise<void> {
  const slot = workerSlotOf(process.env);
  const logger = options.logger.child({ worker: slot });
  const switchyard = await startSwitchyard({ ...options, logger, worker: { slot } });
  drainOnSignals(switchyard, options.config, logger);
  process.send?.({ type: LISTENING, url: switchyard.url, listening: switchyard.listening, database: switchyard.database.kind } satisfies Listening);
}

/**
 * The primary of `server.workers` > 1. It serves nothing itself: it applies the migrations once,
 * forks the workers (slots 1…N), prints the banner when all of them listen, restarts a worker that
 * dies (after 1 s, doubling up to 30 s while it keeps dying within a minute of its start), sums the
 * workers' /metrics, and on SIGTERM/SIGINT passes the signal to every worker and exits once all have
 * drained: 0 when every one stopped cleanly. A worker that fails during the first start stops the
 * whole start (exit 1), as a single process would.
 */
export async function servePrimary(settings: RuntimeSettings, config: Config, logger: Logger, workers: number): Promise<void> {
  // The config check refuses workers without a Postgres URL; migrations run here, once, not per worker.
  const database = await createDatabase({ url: config.database.url!, logger });
  try {
    await database.migrate();
  } finally {
    await database.close();
  }
  handOverSpillFiles(DEFAULT_STATE_DIR, workers, logger);
  answerMetricsForWorkers();

  interface Slot {
    worker?: Worker;
    startedAt: number;
    quickDeaths: number;
    restart?: NodeJS.Timeout;
    listening: boolean;
  }
  const slots = new Map<number, Slot>();
  let announced = false;
  let stopping = false;
  let exitCode = 0;

  const live = () => [...slots.values()].flatMap((slot) => (slot.worker && !slot.worker.isDead() ? [slot.worker] : []));

  const fork = (n: number) => {
    const slot = slots.get(n) ?? { startedAt: 0, quickDeaths: 0, listening: false };
    slots.set(n, slot);
    slot.restart = undefined;
    slot.startedAt = Date.now();
    slot.listening = false;
    const worker = cluster.fork({ [WORKER_SLOT_VARIABLE]: String(n) });
    slot.worker = worker;
    worker.on("message", (message: unknown) => {
      if (!isListening(message)) return;
      slot.listening = true;
      if (announced || [...slots.values()].some((s) => !s.listening)) return;
      announced = true;
      announceStart(config, settings, logger, { url: message.url, listening: message.listening, database: message.database, workerPids: live().map((w) => w.process.pid!) });
    });
    worker.on("exit", (code, signal) => {
      if (stopping) {
        if (code !== 0) exitCode = 1;
        if (live().length === 0) finish();
        return;
      }
      if (!announced) {
        logger.error({ worker: n, code, signal }, "a worker failed to start: stopping the others");
        exitCode = 1;
        stop("a worker failed to start");
        return;
      }
      slot.quickDeaths = Date.now() - slot.startedAt < STABLE_AFTER_MS ? slot.quickDeaths + 1 : 0;
      const delayMs = Math.min(MAX_RESTART_MS, FIRST_RESTART_MS * 2 ** Math.max(0, slot.quickDeaths - 1));
      logger.error({ worker: n, workerPid: worker.process.pid, code, signal, restartInMs: delayMs }, "a worker died; starting a new one in its slot");
      slot.restart = setTimeout(() => fork(n), delayMs);
    });
  };

  const finish = () => {
    logger.info({ exitCode }, exitCode === 0 ? "every worker stopped" : "stopped; a worker did not stop cleanly");
    process.exit(exitCode);
  };

  const stop = (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal: reason, workers: live().length }, "shutting down: every worker drains its call log");
    for (const slot of slots.values()) if (slot.restart) clearTimeout(slot.restart);
    // Each worker has its own deadline (drain-on-signals.ts); this one is for a worker that hangs past it.
    const force = setTimeout(() => {
      logger.error({ workers: live().map((w) => w.process.pid) }, "workers did not stop in time: killing them");
      for (const worker of live()) worker.process.kill("SIGKILL");
      process.exit(1);
    }, config.server.shutdownGraceMs + 15_000);
    force.unref();
    const running = live();
    if (running.length === 0) return finish();
    for (const worker of running) worker.process.kill("SIGTERM");
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));

  for (let n = 1; n <= workers; n++) fork(n);
}

function isListening(message: unknown): message is Listening {
  return typeof message === "object" && message !== null && (message as Listening).type === LISTENING;
}
