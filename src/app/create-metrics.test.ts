import { describe, expect, it } from "vitest";
import type { CallRecord } from "../core/index.js";
import { createMetrics } from "./create-metrics.js";

const call = (fields: Partial<CallRecord>): CallRecord =>
  ({ modelGroup: "g", deployment: "d1", status: "SUCCESS", promptTokens: 10, completionTokens: 5, costPico: 2_000_000_000n, latencyMs: 20, ...fields }) as CallRecord;

/** The per-call series (the process and runtime ones change between two scrapes by themselves). */
const callSeries = (text: string): string[] => text.split("\n").filter((l) => /^switchyard_(calls|tokens|cost|unpriced|call_latency)/.test(l));

const value = (text: string, series: string): number | undefined => {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe("createMetrics", () => {
  it("counts calls, tokens, cost, unpriced calls and latency per group and deployment, the same after every scrape", async () => {
    const metrics = createMetrics({ callLog: () => ({ buffered: 0, quarantined: 0 }) });
    try {
      metrics.observeCall(call({}));
      metrics.observeCall(call({ status: "ERROR", promptTokens: 3, completionTokens: 0, costPico: 0n, latencyMs: 70 }));
      metrics.observeCall(call({ deployment: "d2", unpriced: true }));
      metrics.observeCall(call({ modelGroup: null, deployment: null, status: "ERROR", promptTokens: 0, completionTokens: 0, costPico: 0n }));
      let text = (await metrics.render()).body;
      expect(value(text, 'switchyard_calls_total{model_group="g",deployment="d1",status="SUCCESS"}')).toBe(1);
      expect(value(text, 'switchyard_calls_total{model_group="g",deployment="d1",status="ERROR"}')).toBe(1);
      expect(value(text, 'switchyard_calls_total{model_group="g",deployment="d2",status="SUCCESS"}')).toBe(1);
      expect(value(text, 'switchyard_calls_total{model_group="",deployment="",status="ERROR"}')).toBe(1);
      expect(value(text, 'switchyard_tokens_total{model_group="g",deployment="d1",direction="prompt"}')).toBe(13);
      expect(value(text, 'switchyard_tokens_total{model_group="g",deployment="d1",direction="completion"}')).toBe(5);
      expect(value(text, 'switchyard_cost_usd_total{model_group="g",deployment="d1"}')).toBeCloseTo(0.002, 12);
      expect(value(text, 'switchyard_unpriced_calls_total{model_group="g",deployment="d2"}')).toBe(1);
      expect(value(text, 'switchyard_unpriced_calls_total{model_group="g",deployment="d1"}')).toBeUndefined();
      expect(value(text, 'switchyard_call_latency_seconds_bucket{le="0.05",model_group="g",deployment="d1"}')).toBe(1);
      expect(value(text, 'switchyard_call_latency_seconds_count{model_group="g",deployment="d1"}')).toBe(2);

      // A second scrape adds nothing; later calls add to what was scraped.
      expect(callSeries((await metrics.render()).body)).toEqual(callSeries(text));
      metrics.observeCall(call({}));
      text = (await metrics.render()).body;
      expect(value(text, 'switchyard_calls_total{model_group="g",deployment="d1",status="SUCCESS"}')).toBe(2);
      expect(value(text, 'switchyard_tokens_total{model_group="g",deployment="d1",direction="prompt"}')).toBe(23);
      expect(value(text, 'switchyard_cost_usd_total{model_group="g",deployment="d1"}')).toBeCloseTo(0.004, 12);
      // What a cluster primary reads from a worker's registry is as fresh.
      metrics.observeCall(call({ status: "CANCELLED" }));
      const json = await metrics.registry.getMetricsAsJSON();
      const calls = json.find((metric) => metric.name === "switchyard_calls_total");
      expect(calls?.values).toContainEqual({ labels: { model_group: "g", deployment: "d1", status: "CANCELLED" }, value: 1 });
    } finally {
      metrics.stop();
    }
  });
});
