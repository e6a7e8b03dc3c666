/**
 * How long one rollup merge holds the event loop: mergeRollupDeltas over D increments rows of B calls
 * each (synthetic calls over ~400 key × user combinations), against a stand-in database that answers at
 * once (the SQL is not run: only the process's own work is measured). A probe on setImmediate reads
 * process.cpuUsage() at every turn of the loop; the CPU between two turns is one synchronous run. CPU
 * time, not wall time, so the figures hold on a loaded machine. A driver that parses json columns
 * itself (the increments fetched as json, not text) is played by parsing them in the stand-in's answer.
 *
 *   node dist/bench/rollup-merge-slices.js [--deltas 40] [--batch 500] [--rounds 5]
 */
import { PgDialect } from "drizzle-orm/pg-core";
import type { SQL } from "drizzle-orm";
import { buildAttemptRollupRows } from "../src/db/build-attempt-rollup-rows.js";
import { buildCallRollupRows } from "../src/db/build-call-rollup-rows.js";
import type { DrizzleDb } from "../src/db/database.js";
import { mergeRollupDeltas } from "../src/db/merge-rollup-deltas.js";
import { syntheticCall } from "./synthetic-call-record.js";

const option = (name: string, fallback: number): number => {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
};
const deltaCount = option("deltas", 40);
const batch = option("batch", 500);
const rounds = option("rounds", 5);
const dialect = new PgDialect();
// Calls of one minute, so every run merges the same rows.
const start = Date.UTC(2025, 0, 1, 10, 0, 0);
const deltas = Array.from({ length: deltaCount }, (_, d) => {
  const calls = Array.from({ length: batch }, (_, i) => syntheticCall(d * batch + i, start + d * 100 + i));
  return { rollup_rows: JSON.stringify(buildCallRollupRows(calls)), attempt_rows: JSON.stringify(buildAttemptRollupRows(calls)) };
});

/** A database that answers the merge's DELETE … RETURNING with `deltas` and every other statement with nothing. */
const standIn = (): DrizzleDb => {
  const tx = {
    execute: async (statement: SQL) => {
      const text = dialect.sqlToQuery(statement).sql;
      if (!text.startsWith("\n      delete from")) return { rows: [] };
      if (text.includes("rollup_rows::text")) return { rows: deltas };
      return { rows: deltas.map((delta) => ({ rollup_rows: JSON.parse(delta.rollup_rows) as unknown, attempt_rows: JSON.parse(delta.attempt_rows) as unknown })) };
    },
  };
  return { transaction: (run: (t: typeof tx) => Promise<unknown>) => run(tx) } as unknown as DrizzleDb;
};

const cpuMs = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

console.log(`${deltaCount} increments rows of ${batch} calls; CPU ms per synchronous run of the merge:`);
for (let round = 0; round < rounds; round++) {
  const runs: number[] = [];
  let last = cpuMs();
  let done = false;
  const probe = (): void => {
    const now = cpuMs();
    runs.push(now - last);
    last = now;
    if (!done) setImmediate(probe);
  };
  setImmediate(probe);
  const began = cpuMs();
  const outcome = await mergeRollupDeltas(standIn(), { maxDeltas: deltaCount });
  const total = cpuMs() - began;
  done = true;
  await new Promise((resolve) => setImmediate(resolve));
  if (process.argv.includes("--each")) console.log(runs.map((ms) => ms.toFixed(1)).join(" "));
  runs.sort((a, b) => b - a);
  console.log(`  round ${round + 1}: ${outcome.rollupRows} rollup rows, ${total.toFixed(1)} ms in all, ${runs.length} runs, longest ${runs.slice(0, 3).map((ms) => ms.toFixed(1)).join(", ")} ms`);
}
