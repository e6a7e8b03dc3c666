import type { Logger } from "pino";
import type { Config } from "../config/index.js";

/**
 * On SIGTERM or SIGINT (and, in a cluster worker, when the primary's channel closes): stop taking
 * requests, drain the call log, exit 0 — or 1 when closing failed or took past the drain's grace
 * plus 10 s for the call log to be written out (or spilled).
 */
export function drainOnSignals(switchyard: { close(): Promise<void> }, config: Config, logger: Logger): void {
  let stopping = false;
  const stop = (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal: reason }, "shutting down: draining the call log");
    const force = setTimeout(() => process.exit(1), config.server.shutdownGraceMs + 10_000);
    force.unref();
    switchyard.close().then(
      () => {
        logger.info("stopped");
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  // A worker whose primary is gone (killed) stops too, instead of serving on unsupervised.
  if (process.send) process.on("disconnect", () => stop("the primary process is gone"));
}
