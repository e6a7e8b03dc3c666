import { request } from "undici";

/** Cumulative bucket counts of one histogram (summed over its labels), keyed by upper bound. */
interface Buckets {
  bounds: number[];
  counts: number[];
  sum: number;
  count: number;
}

export interface RuntimeScrape {
  delay: Buckets;
  gc: Buckets;
  /** GC pauses per `kind` label (minor, major, incremental, weakcb). */
  gcByKind: Map<string, Buckets>;
}

/** What the gateway's event loop and GC did between two scrapes. */
export interface RuntimeWindow {
  /** Event-loop delay samples and their p50/p99/max, as bucket upper bounds (ms). */
  delay: { samples: number; p50Ms: number; p99Ms: number; maxMs: number };
  /** GC pauses: how many, their total, and the largest as a bucket upper bound (ms). */
  gc: { pauses: number; totalMs: number; maxMs: number };
  /** The same per kind of pause, kinds with none left out. */
  gcByKind: Array<{ kind: string; pauses: number; totalMs: number; maxMs: number }>;
}

/** Reads the runtime histograms off the gateway's /metrics (the bench runs in open mode: admin). */
export async function scrapeRuntime(gatewayUrl: string): Promise<RuntimeScrape> {
  const response = await request(`${gatewayUrl}/metrics`, { headers: { authorization: "Bearer bench" } });
  const text = await response.body.text();
  const gcByKind = new Map<string, Buckets>();
  for (const kind of new Set([...text.matchAll(/^switchyard_gc_pause_seconds_count\{kind="([^"]+)"\}/gm)].map((match) => match[1]!))) {
    gcByKind.set(kind, parseHistogram(text, "switchyard_gc_pause_seconds", `kind="${kind}"`));
  }
  return { delay: parseHistogram(text, "switchyard_event_loop_delay_seconds"), gc: parseHistogram(text, "switchyard_gc_pause_seconds"), gcByKind };
}

export function runtimeWindow(before: RuntimeScrape, after: RuntimeScrape): RuntimeWindow {
  const delay = minus(after.delay, before.delay);
  const gc = minus(after.gc, before.gc);
  const pauses = (h: Buckets) => ({ pauses: h.count, totalMs: h.sum * 1000, maxMs: quantileMs(h, 1) });
  const gcByKind = [...after.gcByKind]
    .map(([kind, buckets]) => {
      const earlier = before.gcByKind.get(kind);
      return { kind, ...pauses(earlier ? minus(buckets, earlier) : buckets) };
    })
    .filter((kind) => kind.pauses > 0);
  return {
    delay: { samples: delay.count, p50Ms: quantileMs(delay, 0.5), p99Ms: quantileMs(delay, 0.99), maxMs: quantileMs(delay, 1) },
    gc: pauses(gc),
    gcByKind,
  };
}

export function formatRuntimeWindow(w: RuntimeWindow): string {
  const le = (ms: number) => (Number.isNaN(ms) ? "n/a" : Number.isFinite(ms) ? `≤${ms}` : ">1000");
  return `loop delay p50 ${le(w.delay.p50Ms)} p99 ${le(w.delay.p99Ms)} max ${le(w.delay.maxMs)} ms; GC ${w.gc.pauses} pauses, ${w.gc.totalMs.toFixed(0)} ms, max ${le(w.gc.maxMs)} ms`;
}

/** One histogram's buckets, summed over its label sets, or only those lines holding `label` (e.g. `kind="minor"`). */
function parseHistogram(text: string, name: string, label?: string): Buckets {
  const byBound = new Map<number, number>();
  let sum = 0;
  let count = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith(name) || (label !== undefined && !line.includes(label))) continue;
    const value = Number(line.slice(line.lastIndexOf(" ") + 1));
    if (line.startsWith(`${name}_bucket`)) {
      const le = /le="([^"]+)"/.exec(line)?.[1];
      const bound = le === "+Inf" ? Number.POSITIVE_INFINITY : Number(le);
      byBound.set(bound, (byBound.get(bound) ?? 0) + value);
    } else if (line.startsWith(`${name}_sum`)) sum += value;
    else if (line.startsWith(`${name}_count`)) count += value;
  }
  const bounds = [...byBound.keys()].sort((a, b) => a - b);
  return { bounds, counts: bounds.map((b) => byBound.get(b) ?? 0), sum, count };
}

function minus(a: Buckets, b: Buckets): Buckets {
  return { bounds: a.bounds, counts: a.counts.map((c, i) => c - (b.counts[i] ?? 0)), sum: a.sum - b.sum, count: a.count - b.count };
}

/** The upper bound (ms) of the bucket holding quantile q; NaN with no samples. */
function quantileMs(h: Buckets, q: number): number {
  if (h.count <= 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil(q * h.count));
  for (let i = 0; i < h.bounds.length; i++) if ((h.counts[i] ?? 0) >= rank) return (h.bounds[i] ?? Number.NaN) * 1000;
  return Number.POSITIVE_INFINITY;
}
