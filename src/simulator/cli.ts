/**
 * Runs a simulator on its own, e.g. as a benchmark's child process:
 *   node dist/src/simulator/cli.js --port 0 [--host 127.0.0.1] [--seed 1] [--profiles file.json] [--api-key KEY] [--http2]
 * Prints `SIMULATOR_URL=http://HOST:PORT` once listening; exits cleanly on SIGTERM/SIGINT. SIGUSR2
 * releases the streams of `holdAfterFirstToken` profiles (and prints `SIMULATOR_RELEASED=<held>`).
 */
import { startSimulatorFromArgs } from "./start-simulator-from-args.js";

async function main(): Promise<void> {
  const simulator = await startSimulatorFromArgs(process.argv.slice(2));
  process.stdout.write(`SIMULATOR_URL=${simulator.url}\n`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    simulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`simulator: close failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  process.on("SIGUSR2", () => process.stdout.write(`SIMULATOR_RELEASED=${simulator.releaseHeldStreams()}\n`));
}

main().catch((error: unknown) => {
  process.stderr.write(`simulator: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
