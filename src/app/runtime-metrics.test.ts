import { Registry } from "prom-client";
import { afterEach, describe, expect, it } from "vitest";
import { registerRuntimeMetrics, type RuntimeMetrics } from "./runtime-metrics.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const value = (text: string, line: RegExp): number => Number(line.exec(text)?.[1] ?? Number.NaN);

let runtime: RuntimeMetrics | undefined;
afterEach(() => runtime?.stop());

describe("runtime metrics", () => {
  it("count a stall of the event loop in the delay histogram's upper buckets", async () => {
    const registry = new Registry();
    runtime = registerRuntimeMetrics(registry);
    await sleep(20);
    const until = performance.now() + 80;
    while (performance.now() < until) {
      // the stall the monitor must see
    }
    await sleep(20);
    const text = await registry.metrics();
    const count = value(text, /^switchyard_event_loop_delay_seconds_count (\S+)$/m);
    const upTo50ms = value(text, /^switchyard_event_loop_delay_seconds_bucket\{le="0.05"\} (\S+)$/m);
    expect(count).toBeGreaterThan(0);
    expect(upTo50ms).toBeLessThan(count);
  });

  it("count how late the timer ran, not its 10 ms period: an idle loop's samples sit in the lowest buckets", async () => {
    const registry = new Registry();
    runtime = registerRuntimeMetrics(registry);
    await sleep(300);
    const text = await registry.metrics();
    const count = value(text, /^switchyard_event_loop_delay_seconds_count (\S+)$/m);
    const upTo5ms = value(text, /^switchyard_event_loop_delay_seconds_bucket\{le="0.005"\} (\S+)$/m);
    expect(count).toBeGreaterThan(5);
    expect(upTo5ms).toBeGreaterThan(count / 2);
  });

  it("observe every garbage-collection pause by kind", async () => {
    const registry = new Registry();
    runtime = registerRuntimeMetrics(registry);
    let keep: unknown[] = [];
    for (let i = 0; i < 200_000; i++) {
      keep.push({ i, text: `item ${i}` });
      if (keep.length > 1_000) keep = [];
    }
    await sleep(50);
    const text = await registry.metrics();
    expect(value(text, /^switchyard_gc_pause_seconds_count\{kind="minor"\} (\S+)$/m)).toBeGreaterThan(0);
  });
});
