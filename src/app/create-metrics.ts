import { Counter, Registry, Gauge, collectDefaultMetrics } from "prom-client";
import type { CallRecord } from "../core/index.js";
import { registerRuntimeMetrics } from "./runtime-metrics.js";
import { TalliedHistogram, type HistogramSeries } from "./tallied-histogram.js";

/** Where the gauges read their values when scraped. */
export interface MetricSources {
  callLog(): { buffered: number; quarantined: number };
  rollups?(): { merged: number; failedRounds: number };
}

export interface Metrics {
  /** Every metric of this process (a cluster worker hands it to the primary, which sums the workers'). */
  registry: Registry;
  observeCall(call: CallRecord): void;
  render(): Promise<{ contentType: string; body: string }>;
  /** Stops the event-loop and GC monitors. */
  stop(): void;
}

/** What the counters of one model group and deployment gained since the last scrape. */
interface Tally {
  labels: { model_group: string; deployment: string };
  /** Its latency series (observed at once, not at the scrape). */
  latency: HistogramSeries;
  /** Calls by status. */
  calls: Map<string, number>;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  unpriced: number;
}

/**
 * Prometheus counters of calls, tokens, cost and latency, the call-log backlog, event-loop delay and GC pauses.
 *
 * A call adds to plain sums kept per model group and deployment; the counters take them when scraped
 * (their `collect()`), so a call costs no prom-client label hashing and validation per counter. The
 * latency histogram is observed per call into the series of its group and deployment (TalliedHistogram).
 */
export function createMetrics(sources: MetricSources): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const runtime = registerRuntimeMetrics(registry);
  const labels = ["model_group", "deployment", "status"] as const;
  const calls = new Counter({ name: "switchyard_calls_total", help: "Calls by outcome", labelNames: labels, registers: [registry], collect: () => publish() });
  const tokens = new Counter({ name: "switchyard_tokens_total", help: "Tokens by direction", labelNames: ["model_group", "deployment", "direction"], registers: [registry], collect: () => publish() });
  const cost = new Counter({ name: "switchyard_cost_usd_total", help: "Cost in USD", labelNames: ["model_group", "deployment"], registers: [registry], collect: () => publish() });
  const latency = new TalliedHistogram("switchyard_call_latency_seconds", "Call latency", [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60], registry);
  const unpriced = new Counter({
    name: "switchyard_unpriced_calls_total",
    help: "Calls that ran on a deployment with no known price: their recorded cost leaves those attempts out",
    labelNames: ["model_group", "deployment"],
    registers: [registry],
    collect: () => publish(),
  });
  // By group, then deployment: two lookups of strings the call already holds, where one key joined
  // from both was a new string to build and hash on every call.
  const talliesByGroup = new Map<string, Map<string, Tally>>();
  const tallyOf = (group: string, deployment: string): Tally => {
    let byDeployment = talliesByGroup.get(group);
    if (byDeployment === undefined) talliesByGroup.set(group, (byDeployment = new Map()));
    let tally = byDeployment.get(deployment);
    if (tally === undefined) {
      const labels = { model_group: group, deployment };
      tally = { labels, latency: latency.series(labels), calls: new Map(), promptTokens: 0, completionTokens: 0, costUsd: 0, unpriced: 0 };
      byDeployment.set(deployment, tally);
    }
    return tally;
  };
  /** Moves every tally into the counters (whichever counter is collected first takes them all). */
  const publish = (): void => {
    for (const byDeployment of talliesByGroup.values()) for (const tally of byDeployment.values()) {
      if (tally.calls.size === 0) continue;
      const { model_group, deployment } = tally.labels;
      for (const [status, count] of tally.calls) calls.inc({ model_group, deployment, status }, count);
      tokens.inc({ model_group, deployment, direction: "prompt" }, tally.promptTokens);
      tokens.inc({ model_group, deployment, direction: "completion" }, tally.completionTokens);
      cost.inc(tally.labels, tally.costUsd);
      if (tally.unpriced > 0) unpriced.inc(tally.labels, tally.unpriced);
      tally.calls.clear();
      tally.promptTokens = 0;
      tally.completionTokens = 0;
      tally.costUsd = 0;
      tally.unpriced = 0;
    }
  };

  // Read at each scrape (collect), so that a scrape through the cluster primary sees them fresh too.
  new Gauge({
    name: "switchyard_call_log_buffered",
    help: "Call rows waiting to be written",
    registers: [registry],
    collect() {
      this.set(sources.callLog().buffered);
    },
  });
  let quarantinedSeen = 0;
  new Counter({
    name: "switchyard_call_log_quarantined_total",
    help: "Call records that can never be stored (refused by the database as invalid, or unserializable), kept in the quarantine file",
    registers: [registry],
    collect() {
      // The writer keeps the count; the counter follows it (it only grows).
      const quarantined = sources.callLog().quarantined;
      if (quarantined > quarantinedSeen) this.inc(quarantined - quarantinedSeen);
      quarantinedSeen = Math.max(quarantinedSeen, quarantined);
    },
  });
  if (sources.rollups) {
    const rollups = sources.rollups;
    new Gauge({
      name: "switchyard_rollup_increments_merged",
      help: "Rollup increments (one per written batch) this instance folded into the rollups",
      registers: [registry],
      collect() {
        this.set(rollups().merged);
      },
    });
    new Gauge({
      name: "switchyard_rollup_merge_failures",
      help: "Rollup merge rounds that failed (increments kept for the next round)",
      registers: [registry],
      collect() {
        this.set(rollups().failedRounds);
      },
    });
  }

  return {
    registry,
    observeCall(call) {
      const tally = tallyOf(call.modelGroup ?? "", call.deployment ?? "");
      tally.calls.set(call.status, (tally.calls.get(call.status) ?? 0) + 1);
      tally.promptTokens += call.promptTokens;
      tally.completionTokens += call.completionTokens;
      tally.costUsd += Number(call.costPico) / 1e12;
      if (call.unpriced === true) tally.unpriced += 1;
      latency.observe(tally.latency, call.latencyMs / 1000);
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
    stop: () => runtime.stop(),
  };
}
