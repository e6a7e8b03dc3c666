/**
 * `npm run -s bench:router-features`: the feature loop as first written (kept as the test oracle)
 * against the current one, in the same process, in interleaved blocks of 1,000 calls so that both
 * see the same machine load. Each call scores a ~2,000-token prompt with the shipped router's
 * weights (features and the dot product). Per call: wall-clock µs and CPU µs (getrusage, µs
 * resolution) at p50 and p99, and the CPU mean per block (process.cpuUsage).
 */
import { loadavg } from "node:os";
import type { LinearRouterModel } from "../src/routing/quality/linear-router-model.js";
import { loadRouter } from "../src/routing/quality/load-prompt-scorer.js";
import { createLogitScorer } from "../src/routing/quality/score-prompt-text.js";
import { referencePromptFeatures } from "../src/routing/quality/testing/reference-prompt-features.js";
import { promptOfTokens } from "./router-prompt.js";

const text = promptOfTokens(2_000);
// The shipped router's linear model (version 3: its gain model, z, as floats): the features are what is timed.
const file = loadRouter("builtin").file;
const model: LinearRouterModel =
  file.version === 2
    ? file.model
    : {
        features: file.model.features,
        bias: file.model.gain.bias,
        hashed: Float32Array.from(file.model.gain.hashed, (v) => v * file.model.gain.scale),
        denseMean: file.model.denseMean,
        denseScale: file.model.denseScale,
        dense: file.model.gain.dense,
        output: { scale: 1, shift: 0 },
      };
const current = createLogitScorer(model);
// The same dot product over the first loop's features: only the extraction differs.
const firstLoop = createLogitScorer(model, referencePromptFeatures);
if (firstLoop(text) !== current(text)) throw new Error("the two feature loops disagree: see extract-prompt-features.test.ts");

const variants = { "first loop": firstLoop, current };
const runs = Object.entries(variants).map(([name, fn]) => ({ name, fn, wall: [] as number[], cpu: [] as number[], cpuTotal: 0, calls: 0 }));
for (const run of runs) for (let i = 0; i < 5_000; i++) run.fn(text);
const loadBefore = loadavg()[0]!;
for (let block = 0; block < 20; block++) {
  for (const run of runs) {
    const blockStart = process.cpuUsage();
    for (let i = 0; i < 1_000; i++) {
      const cpu = process.cpuUsage();
      const start = process.hrtime.bigint();
      run.fn(text);
      run.wall.push(Number(process.hrtime.bigint() - start) / 1e3);
      const used = process.cpuUsage(cpu);
      run.cpu.push(used.user + used.system);
    }
    const used = process.cpuUsage(blockStart);
    run.cpuTotal += used.user + used.system;
    run.calls += 1_000;
  }
}
const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
};
console.log(`2,000 tokens (${text.length} chars), Node ${process.version}, load average ${loadBefore.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}; µs per score`);
console.log(`${"loop".padEnd(11)} ${"wall p50".padStart(9)} ${"wall p99".padStart(9)} ${"CPU p50".padStart(8)} ${"CPU p99".padStart(8)} ${"CPU mean".padStart(9)}`);
for (const run of runs) {
  const f = (n: number, w: number): string => n.toFixed(1).padStart(w);
  console.log(`${run.name.padEnd(11)} ${f(percentile(run.wall, 0.5), 9)} ${f(percentile(run.wall, 0.99), 9)} ${f(percentile(run.cpu, 0.5), 8)} ${f(percentile(run.cpu, 0.99), 8)} ${f(run.cpuTotal / run.calls, 9)}`);
}
