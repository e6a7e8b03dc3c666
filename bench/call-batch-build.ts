/**
 * What a call-log batch costs the event loop before and between its round trips: the synchronous steps
 * of insertCallBatch (the `calls` rows built and JSON-encoded, the rollup increments of calls and of
 * attempts, the `call_attempts` rows encoded; the copied way's COPY text of calls and of attempts instead of their JSON), each timed alone on synthetic calls in CPU µs per call
 * (process.cpuUsage: on a loaded machine wall time is noise), median of rounds. No database.
 *
 *   node dist/bench/call-batch-build.js [--batch 500] [--rounds 30] [--one-combination]
 *
 * The synthetic calls spread over 16 keys and 100 end users (a batch of 500 has about 400 rollup
 * combinations); --one-combination gives them all one key and no end user, like the benchmark's traffic.
 *
 * A batch of B calls holds the loop for about B × the sum of a step's figures per synchronous run;
 * the writer's batches are 500 calls at most (a backlog), a few dozen at 1,000 calls/s.
 */
import type { CallRecord } from "../src/core/index.js";
import { buildAttemptRollupRows } from "../src/db/build-attempt-rollup-rows.js";
import { buildCallRollupRows } from "../src/db/build-call-rollup-rows.js";
import { attemptsCopyText, callsCopyText } from "../src/db/call-copy-text.js";
import { toAttemptJsonRow, toCallJsonRow } from "../src/db/call-record-rows.js";
import { sanitizeCallRecord } from "../src/db/sanitize-call-record.js";
import { syntheticCall } from "./synthetic-call-record.js";

const option = (name: string, fallback: number): number => {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
};

/** Which way of insertCallBatch takes a step: the copied (the usual batch), the careful, or both. */
type Way = "copied" | "careful" | "both";

const STEPS: ReadonlyArray<{ name: string; way: Way; run(records: readonly CallRecord[]): unknown }> = [
  { name: "calls rows + JSON", way: "careful", run: (records) => JSON.stringify(records.map((record) => toCallJsonRow(sanitizeCallRecord(record)))) },
  { name: "call rollup increments", way: "both", run: (records) => JSON.stringify(buildCallRollupRows(records)) },
  { name: "attempt rollup increments", way: "both", run: (records) => JSON.stringify(buildAttemptRollupRows(records)) },
  { name: "attempt rows + JSON", way: "careful", run: (records) => JSON.stringify(records.flatMap((record) => record.attempts.map((attempt) => toAttemptJsonRow(record.id, attempt)))) },
  { name: "calls COPY text", way: "copied", run: (records) => callsCopyText(records.map(sanitizeCallRecord)) },
  { name: "attempts COPY text", way: "copied", run: (records) => attemptsCopyText(records) },
];

const cpuMicros = (): number => {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
};

const batch = option("batch", 500);
const rounds = option("rounds", 30);
const start = Date.now();
// Calls of one busy minute, as a batch holds them.
const oneCombination = process.argv.includes("--one-combination");
const call = (i: number): CallRecord => {
  const record = syntheticCall(i, start + i);
  return oneCombination ? { ...record, keyId: "key", teamId: "team", endUser: null } : record;
};
const batches = Array.from({ length: rounds }, (_, round) => Array.from({ length: batch }, (_, i) => call(round * batch + i)));
for (const step of STEPS) for (const records of batches.slice(0, 5)) step.run(records);
console.log(`${batch} calls a batch${oneCombination ? " (one combination)" : ""}, ${rounds} rounds; CPU µs per call, median (min–max):`);
const totals = { copied: 0, careful: 0 };
for (const step of STEPS) {
  const perCall = batches.map((records) => {
    const before = cpuMicros();
    step.run(records);
    return (cpuMicros() - before) / records.length;
  }).sort((a, b) => a - b);
  const median = perCall[Math.floor(perCall.length / 2)]!;
  if (step.way !== "careful") totals.copied += median;
  if (step.way !== "copied") totals.careful += median;
  console.log(`  ${step.name.padEnd(28)}${median.toFixed(2).padStart(8)}  (${perCall[0]!.toFixed(2)}–${perCall.at(-1)!.toFixed(2)})`);
}
for (const way of ["copied", "careful"] as const) {
  console.log(`  ${`all steps, ${way} way`.padEnd(28)}${totals[way].toFixed(2).padStart(8)}  → ${((totals[way] * batch) / 1000).toFixed(1)} ms of CPU for the batch`);
}
