/**
 * `npm run -s bench:router`: time to score one prompt with the shipped router (feature extraction
 * included), for a ~2,000-token prompt and for short ones, each plain and multiple-choice (A–D:
 * the subject classifier and the second stage run); p50 / p99 / p99.9 in µs. Target: p99
 * ≤ 100 µs at 2,000 tokens. For comparison, the time gpt-tokenizer takes only to count the
 * tokens of the long prompt (why the router hashes words itself).
 */
import { availableParallelism, loadavg } from "node:os";
import { countTokens } from "gpt-tokenizer";
import { MULTIPLE_CHOICE_OPTIONS, multipleChoicePromptOfTokens, promptOfTokens, variedPromptOfChars } from "./router-prompt.js";
import type { ChatMessage } from "../src/core/chat-request.js";
import { loadPromptScorer } from "../src/routing/quality/load-prompt-scorer.js";

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

/**
 * Per-call wall-clock timings in µs of `fn` over `iterations` calls after a warm-up, and the mean
 * CPU time per call: on a loaded machine the tail is the scheduler's, the CPU mean is the code's.
 */
export function timeEach(iterations: number, fn: () => unknown): { p50: number; p99: number; p999: number; cpuMean: number; cpuP99: number } {
  for (let i = 0; i < Math.min(iterations, 5_000); i++) fn();
  const samples = new Float64Array(iterations);
  const cpu = process.cpuUsage();
  for (let i = 0; i < iterations; i++) {
    const start = process.hrtime.bigint();
    fn();
    samples[i] = Number(process.hrtime.bigint() - start) / 1e3;
  }
  const used = process.cpuUsage(cpu);
  samples.sort();
  // CPU time per call (getrusage, µs resolution) in a second pass: unlike the wall clock, it does
  // not count the time the process waited for a core, which dominates the wall tail on a loaded machine.
  const cpuSamples = new Float64Array(iterations);
  for (let i = 0; i < iterations; i++) {
    const before = process.cpuUsage();
    fn();
    const after = process.cpuUsage(before);
    cpuSamples[i] = after.user + after.system;
  }
  cpuSamples.sort();
  return { p50: percentile(samples, 0.5), p99: percentile(samples, 0.99), p999: percentile(samples, 0.999), cpuMean: (used.user + used.system) / iterations, cpuP99: percentile(cpuSamples, 0.99) };
}

// `npm run -s bench:router [-- PATH]`: another router file (e.g. a version 3 one from router:train --version 3).
const scorer = loadPromptScorer(process.argv[2] ?? "builtin");
const long = promptOfTokens(2_000);
const longQuiz = multipleChoicePromptOfTokens(2_000);
// Words from a large vocabulary, 64 prompts in turn: the weight reads miss the cache as on real
// traffic (the prompts above repeat one paragraph, and one prompt scored again and again keeps its
// few thousand buckets in the cache).
const varied = Array.from({ length: 64 }, (_, i) => variedPromptOfChars(long.length, i + 1));
const variedQuiz = Array.from({ length: 64 }, (_, i) => variedPromptOfChars(longQuiz.length - MULTIPLE_CHOICE_OPTIONS.length, i + 1) + MULTIPLE_CHOICE_OPTIONS);
const one = (content: string): ChatMessage[][] => [[{ role: "user", content }]];
const cases: { name: string; prompts: ChatMessage[][] }[] = [
  { name: `2,000 tokens (${long.length} chars)`, prompts: one(long) },
  { name: `2,000 tokens, A–D (${longQuiz.length} chars)`, prompts: one(longQuiz) },
  { name: `64 varied (${long.length} chars)`, prompts: varied.map((content) => [{ role: "user", content }]) },
  { name: `64 varied, A–D (${longQuiz.length} chars)`, prompts: variedQuiz.map((content) => [{ role: "user", content }]) },
  { name: "200 tokens", prompts: one(promptOfTokens(200)) },
  { name: "200 tokens, A–D", prompts: one(multipleChoicePromptOfTokens(200)) },
  { name: "20 tokens", prompts: one("What is the capital of France, and how many people live there?") },
  { name: "20 tokens, A–D", prompts: one("Which is a prime?\nA. 4\nB. 6\nC. 7\nD. 9") },
];
// Calibration of this machine: CPU time of a loop that does nothing but add (≈ 0.5 ns on an idle 2 GHz core).
const spin = timeEach(50, () => {
  let s = 0;
  for (let i = 0; i < 1e6; i++) s = (s + i) | 0;
  return s;
});
const f = (n: number): string => n.toFixed(1).padStart(7);
console.log(`router ${scorer.source} (${scorer.version}), Node ${process.version}, load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores: µs per score`);
console.log(`machine: an empty add loop costs ${(spin.cpuMean / 1e3).toFixed(2)} ns per iteration of CPU time`);
console.log(`${"prompt".padEnd(30)} ${"p50".padStart(7)} ${"p99".padStart(7)} ${"p99.9".padStart(7)} ${"CPU mean".padStart(9)} ${"CPU p99".padStart(8)}`);
for (const c of cases) {
  let turn = 0;
  const t = timeEach(20_000, () => scorer.score(c.prompts[turn++ % c.prompts.length]!));
  console.log(`${c.name.padEnd(30)} ${f(t.p50)} ${f(t.p99)} ${f(t.p999)} ${f(t.cpuMean).padStart(9)} ${f(t.cpuP99).padStart(8)}`);
}
const tokenizer = timeEach(500, () => countTokens(long));
console.log(`${"gpt-tokenizer count, 2,000 tk".padEnd(30)} ${f(tokenizer.p50)} ${f(tokenizer.p99)} ${f(tokenizer.p999)} ${f(tokenizer.cpuMean).padStart(9)} ${f(tokenizer.cpuP99).padStart(8)}`);
