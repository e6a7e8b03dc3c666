/**
 * The load generator's process (spawned by bench/load-generator.ts): runs the open and closed loops
 * asked for over IPC (bench/load-generator-runs.ts), one at a time, and answers with their figures.
 * Prints LOAD_GENERATOR=ready once listening.
 */
import type { RunRequest } from "./load-generator.js";
import { answerRun, closeTargets } from "./load-generator-runs.js";

process.on("message", (request: RunRequest) => {
  void answerRun(request).then((reply) => process.send?.(reply));
});

const close = (): void => {
  void closeTargets().finally(() => process.exit(0));
};
process.once("SIGTERM", close);
process.once("disconnect", close);
console.log("LOAD_GENERATOR=ready");
