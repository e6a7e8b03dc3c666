/**
 * Routing overhead per request over one group of 100 deployments: the strategy pick alone (each
 * strategy), and a whole `router.complete()` against an adapter that answers at once, beside a
 * baseline of calling that adapter directly. Prints ns/op; target ≤ 10 µs per decision.
 */
import { pathToFileURL } from "node:url";
import { emptyUsage, type ChatResponse } from "../src/core/index.js";
import type { ProviderAdapter } from "../src/providers/spec.js";
import { createRouter, STRATEGY_TABLE, type Candidate, type Deployment, type ModelGroup } from "../src/routing/index.js";

export interface RoutingBenchResult {
  deployments: number;
  pickNsPerOp: Record<string, number>;
  completeNsPerOp: Record<string, number>;
  adapterBaselineNsPerOp: number;
}

const response: ChatResponse = {
  id: "r",
  model: "m",
  message: { role: "assistant", content: "ok", toolCalls: [] },
  finish: { unified: "stop", raw: "stop" },
  usage: { ...emptyUsage(), inputTokens: 10, outputTokens: 2 },
};
const instant: ProviderAdapter = {
  provider: "bench",
  chat: () => Promise.resolve({ response }),
  stream: () => Promise.reject(new Error("not used")),
};

function timeSync(iterations: number, fn: () => void): number {
  for (let i = 0; i < Math.min(10_000, iterations); i++) fn();
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn();
  return Number(process.hrtime.bigint() - start) / iterations;
}

async function timeAsync(iterations: number, fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.min(5_000, iterations); i++) await fn();
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await fn();
  return Number(process.hrtime.bigint() - start) / iterations;
}

export async function runRoutingDecisionBench(count = 100): Promise<RoutingBenchResult> {
  const deployments: Deployment[] = Array.from({ length: count }, (_, i) => ({
    id: `d${i}`,
    provider: "bench",
    model: "m",
    weight: 1 + (i % 5),
    adapter: instant,
    rpm: 10_000,
    tpm: 1_000_000,
    inputPicoPerToken: 100_000 + i,
    outputPicoPerToken: 400_000 + i,
  }));
  const group = (strategy: string): ModelGroup => ({
    name: strategy, aliases: [], strategy, deployments, fallbacks: [], contextWindowFallbacks: [], contentPolicyFallbacks: [],
    rateLimitFallbacks: [], retries: 2, timeoutMs: 60_000, firstTokenTimeoutMs: 10_000,
  });
  const strategies = Object.keys(STRATEGY_TABLE);
  const router = createRouter({
    groups: strategies.map(group),
    defaults: { backoff: { baseMs: 1, maxMs: 1 }, fallbacks: { rateLimit: [], contextWindow: [], contentPolicy: [] } },
  });
  const pickNsPerOp: Record<string, number> = {};
  const completeNsPerOp: Record<string, number> = {};
  let turn = 0;
  for (const name of strategies) {
    const strategy = STRATEGY_TABLE[name]!;
    const candidates: Candidate[] = deployments.map((deployment) => ({ deployment, state: router.health.view(deployment.id) }));
    pickNsPerOp[name] = timeSync(200_000, () => {
      strategy(candidates, { random: Math.random, promptTokens: 500, turn: turn++, now: router.health.now() });
    });
    const request = { model: name, messages: [{ role: "user" as const, content: "hi" }] };
    completeNsPerOp[name] = await timeAsync(100_000, () => router.complete(request, { promptTokens: 10 }));
  }
  const adapterBaselineNsPerOp = await timeAsync(100_000, () => instant.chat({ model: "m", messages: [] }));
  return { deployments: count, pickNsPerOp, completeNsPerOp, adapterBaselineNsPerOp };
}

export function printRoutingBench(result: RoutingBenchResult): void {
  console.log(`\nRouting decision over ${result.deployments} deployments (target ≤ 10,000 ns)`);
  console.log(`  adapter called directly (baseline): ${result.adapterBaselineNsPerOp.toFixed(0)} ns/op`);
  for (const name of Object.keys(result.pickNsPerOp)) {
    const complete = result.completeNsPerOp[name]!;
    console.log(
      `  ${name.padEnd(12)} pick ${result.pickNsPerOp[name]!.toFixed(0).padStart(6)} ns/op   router.complete ${complete.toFixed(0).padStart(7)} ns/op   (+${(complete - result.adapterBaselineNsPerOp).toFixed(0)} ns over baseline)`,
    );
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  runRoutingDecisionBench().then(printRoutingBench, (error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
