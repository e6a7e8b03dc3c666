/**
 * One gateway process of bench/three-gateways.ts. Starts Switchyard from the config file given as
 * the first argument (its own port and state directory as the second and third), exactly as
 * `switchyard serve` does, and talks to the parent over IPC:
 * - sends `{ type: "ready", url }` once it listens;
 * - on `{ type: "record", seconds }` records synthetic calls through its own call log
 *   (`switchyard.callLog.record`, the path every answered request takes) as fast as the writer
 *   stores them, for that long; it pauses while more than HIGH_WATER records wait (so nothing
 *   spills to disk), sends `progress` every 250 ms and `recorded` when done, then `stored` once
 *   its writer has stored everything;
 * - on `{ type: "flush" }` (after HTTP load) stores what its call log holds and sends `stored`;
 * - on `{ type: "close" }` closes the gateway (drains the call log, last rollup merge) and exits.
 * Each message carries the process's CPU time, so the parent can tell gateway CPU from Postgres CPU.
 */
import "reflect-metadata";
import { loadConfig } from "../src/config/index.js";
import { createLogger } from "../src/logging/create-logger.js";
import { startSwitchyard } from "../src/app/start-switchyard.js";
import { syntheticCall } from "./synthetic-call-record.js";

const HIGH_WATER = 10_000;

export type ParentMessage = { type: "record"; seconds: number; rate?: number } | { type: "flush" } | { type: "close" };
export type ChildMessage =
  | { type: "ready"; url: string }
  | { type: "progress"; at: number; recorded: number; stored: number; cpuMs: number }
  | { type: "recorded"; at: number; recorded: number; cpuMs: number }
  | { type: "stored"; at: number; stored: number; quarantined: number; spilled: number; lost: number; cpuMs: number }
  | { type: "closed" };

const [configPath, port, stateDir] = process.argv.slice(2);
if (!configPath || !port || !stateDir || !process.send) throw new Error("usage: gateway-writer-child.ts CONFIG PORT STATE_DIR (as a child with IPC)");
const send = (message: ChildMessage) => process.send!(message);
const cpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

const config = loadConfig({ path: configPath, env: process.env });
const logger = createLogger({ level: "warn", format: "json" });
const switchyard = await startSwitchyard({ config, logger, port: Number(port), stateDir });
const { callLog } = switchyard;
send({ type: "ready", url: switchyard.url });

const storedSoFar = () => {
  const stats = callLog.stats();
  return stats.written + stats.quarantined;
};

/** `rate`: calls a second this process records, paced in steps of a millisecond or more; without it, as fast as the writer stores. */
async function record(seconds: number, rate: number | undefined): Promise<void> {
  const before = storedSoFar();
  const began = performance.now();
  const deadline = began + seconds * 1000;
  let recorded = 0;
  const progress = setInterval(() => send({ type: "progress", at: Date.now(), recorded, stored: storedSoFar() - before, cpuMs: cpuMs() }), 250);
  while (performance.now() < deadline) {
    const due = rate === undefined ? recorded + 500 : Math.min(recorded + 500, Math.floor(((performance.now() - began) * rate) / 1000));
    if (due <= recorded) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      continue;
    }
    while (recorded < due) {
      callLog.record(syntheticCall(recorded, Date.now()));
      recorded += 1;
    }
    // Let the writer's I/O run; while it is behind, sleep (not spin: Postgres shares the CPUs).
    await new Promise((resolve) => setImmediate(resolve));
    while (callLog.stats().buffered > HIGH_WATER) await new Promise((resolve) => setTimeout(resolve, 2));
  }
  send({ type: "recorded", at: Date.now(), recorded, cpuMs: cpuMs() });
  while (storedSoFar() - before < recorded) await new Promise((resolve) => setTimeout(resolve, 5));
  clearInterval(progress);
  const stats = callLog.stats();
  send({ type: "stored", at: Date.now(), stored: storedSoFar() - before, quarantined: stats.quarantined, spilled: stats.spilled, lost: stats.lost, cpuMs: cpuMs() });
}

process.on("message", (message: ParentMessage) => {
  if (message.type === "record") {
    record(message.seconds, message.rate).catch((error: unknown) => {
      process.stderr.write(`recording failed: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    });
  } else if (message.type === "flush") {
    callLog
      .flush()
      .then(() => {
        const stats = callLog.stats();
        send({ type: "stored", at: Date.now(), stored: storedSoFar(), quarantined: stats.quarantined, spilled: stats.spilled, lost: stats.lost, cpuMs: cpuMs() });
      })
      .catch((error: unknown) => {
        process.stderr.write(`flush failed: ${error instanceof Error ? error.stack : String(error)}\n`);
        process.exit(1);
      });
  } else if (message.type === "close") {
    void switchyard.close().finally(() => {
      send({ type: "closed" });
      // An exit of its own (not a kill), so a --cpu-prof profile gets written.
      setTimeout(() => process.exit(0), 100);
    });
  }
});
