import type { HttpLoadResult } from "./http-mutation-bench.js";
import type { LatencySummary } from "./latency-stats.js";
import type { StreamRunResult } from "./stream-run-result.js";
import type { PersistenceCheck } from "./verify-persistence.js";

export interface Added {
  p50: number;
  p99: number;
}

const ms = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(3)} ms` : "n/a").padStart(13);
const count = (value: number): string => Math.round(value).toLocaleString("en-US");

/** Gateway minus baseline at p50 and p99. */
export function addedLatency(baseline: LatencySummary, gateway: LatencySummary): Added {
  return { p50: gateway.p50 - baseline.p50, p99: gateway.p99 - baseline.p99 };
}

export function formatMutation(baseline: HttpLoadResult, gateway: HttpLoadResult, added: Added, targets: Added): string[] {
  const row = (label: string, r: HttpLoadResult): string =>
    `  ${label.padEnd(30)}${ms(r.latencyMs.p50)}${ms(r.latencyMs.p90)}${ms(r.latencyMs.p99)}${count(r.requestsPerSecond).padStart(10)}` +
    `   ${count(r.ok)} ok, ${r.non2xx} non-2xx, ${r.badBodies} with errors, ${r.connectionErrors} conn errors, ${r.timeouts} timeouts` +
    `   (autocannon ms: ${r.autocannonLatencyMs.p50}/${r.autocannonLatencyMs.p90}/${r.autocannonLatencyMs.p99})`;
  const met = added.p50 <= targets.p50 && added.p99 <= targets.p99;
  const lines = [
    `HTTP mutation — ${baseline.connections} connections, ${baseline.seconds.toFixed(1)} s / ${gateway.seconds.toFixed(1)} s measured`,
    `  ${"".padEnd(30)}${"p50".padStart(13)}${"p90".padStart(13)}${"p99".padStart(13)}${"req/s".padStart(10)}`,
    row("baseline (POST simulator)", baseline),
    row("switchyard (GraphQL complete)", gateway),
    `  added latency: p50 ${signed(added.p50)}, p99 ${signed(added.p99)}  (target p50 ≤ ${targets.p50} ms, p99 ≤ ${targets.p99} ms: ${met ? "met" : "NOT met"})`,
    `  ratio switchyard/baseline: p50 ${ratio(gateway.latencyMs.p50, baseline.latencyMs.p50)}, p99 ${ratio(gateway.latencyMs.p99, baseline.latencyMs.p99)}, ` +
      `throughput ${ratio(gateway.requestsPerSecond, baseline.requestsPerSecond)}`,
  ];
  for (const [label, r] of [["baseline", baseline], ["switchyard", gateway]] as const) {
    if (r.firstFailure !== undefined) lines.push(`  first ${label} failure: ${r.firstFailure}`);
  }
  return lines;
}

/**
 * Streams through the gateway beside the baseline. The minimum shows what a stream costs when
 * nothing queues (a flush or scheduling delay shows there even on a loaded machine); p50 and p99
 * add the waiting.
 */
export function formatStreams(baseline: StreamRunResult, gateways: Array<{ label: string; result: StreamRunResult }>, wsClients: number): string[] {
  const row = (label: string, r: StreamRunResult): string =>
    `  ${label.padEnd(30)}${ms(r.ttftMs.min)}${ms(r.ttftMs.p50)}${ms(r.ttftMs.p99)}${ms(r.totalMs.p50)}${ms(r.totalMs.p99)}${count(r.streamsPerSecond).padStart(10)}   ${r.ok} ok, ${r.failed} failed`;
  const lines = [
    `Streaming TTFT — ${baseline.streams} streams each, ${baseline.concurrency} concurrent (gateway: ${wsClients} graphql-ws connections)`,
    `  ${"".padEnd(30)}${"TTFT min".padStart(13)}${"TTFT p50".padStart(13)}${"TTFT p99".padStart(13)}${"end p50".padStart(13)}${"end p99".padStart(13)}${"streams/s".padStart(10)}`,
    row("baseline (SSE to simulator)", baseline),
    ...gateways.map((g) => row(g.label, g.result)),
  ];
  for (const g of gateways) {
    const added = addedLatency(baseline.ttftMs, g.result.ttftMs);
    const addedMin = g.result.ttftMs.min - baseline.ttftMs.min;
    lines.push(
      `  ${g.label} added TTFT: min ${signed(addedMin)}, p50 ${signed(added.p50)}, p99 ${signed(added.p99)}; ratio p50 ${ratio(g.result.ttftMs.p50, baseline.ttftMs.p50)}, p99 ${ratio(g.result.ttftMs.p99, baseline.ttftMs.p99)}`,
    );
  }
  for (const [label, r] of [["baseline", baseline], ...gateways.map((g) => [g.label, g.result] as const)] as const) {
    if (r.firstFailure !== undefined) lines.push(`  first ${label} failure: ${r.firstFailure}`);
  }
  return lines;
}

export function formatPersistence(check: PersistenceCheck): string[] {
  const { persisted } = check;
  const verdict = check.exact
    ? "equal: every successful request is stored"
    : check.keptUp
      ? `kept up (${persisted.success - check.successfulRequests} extra SUCCESS rows: requests in flight when a timed run stopped, finished by the gateway)`
      : "MISMATCH";
  return [
    `Persistence (calls { totalCount } after ${(check.waitedMs / 1000).toFixed(1)} s)`,
    `  successful requests through switchyard: ${count(check.successfulRequests)} (plus ${check.inFlightAtStop} in flight when timed runs stopped)`,
    `  persisted calls: ${count(persisted.total)} — ${count(persisted.success)} SUCCESS, ${persisted.error} ERROR, ${persisted.cancelled} CANCELLED → ${verdict}`,
    `  requests sent through switchyard: ${count(check.requestsSent)} → ${check.oneRowPerRequest ? "one stored call per request" : `${count(persisted.total - check.requestsSent)} rows off`}`,
  ];
}

function signed(value: number): string {
  return `${value >= 0 ? "+" : ""}${value.toFixed(3)} ms`;
}

function ratio(a: number, b: number): string {
  return b > 0 ? `${(a / b).toFixed(2)}×` : "n/a";
}
