/**
 * Where the event loop stalls: the stretches of back-to-back busy samples in a V8 .cpuprofile,
 * the longest of them with the Switchyard and library frames they spent the most time under, and
 * what each stretch's time went to by part of the gateway (the call-log writer, the rollup merger, GC…).
 *   node dist/bench/long-tasks.js FILE.cpuprofile [MIN_MS=5] [TOP=12]
 */
import { existsSync, readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber?: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  /** µs on the monotonic clock (the one process.hrtime reads). */
  startTime: number;
}

export interface LongTask {
  /** From the profile's start. */
  startMs: number;
  durationMs: number;
  /** Frames (function@file) by the time spent under them in this stretch, most first. */
  under: Array<{ frame: string; ms: number }>;
  /** The stretch's time by part of the gateway (PARTS), most first. */
  parts: Array<{ part: string; ms: number }>;
}

/**
 * Parts of the gateway a busy sample is charged to: the first of these found anywhere on its stack,
 * in this order (the call-log writer's JSON.stringify runs under insertCallBatch, so it is the writer's).
 */
const PARTS: ReadonlyArray<{ part: string; test: RegExp }> = [
  { part: "call-log write", test: /src\/db\/(insert-call-batch|write-call-batch|call-record-rows|build-(call|attempt)-rollup-rows|sanitize-call-record|call-log-writer|call-write-ahead-log|open-call-log-thread|call-log-thread-protocol)\./ },
  { part: "rollup merge", test: /src\/db\/(merge-rollup-deltas|upsert-(call|attempt)-rollups|rollup-merger)\./ },
  { part: "retention, partitions", test: /src\/db\/(call-retention|call-partition-keeper|call-partitions)\./ },
  { part: "metrics", test: /src\/app\/(create-metrics|runtime-metrics|cluster-metrics)\.|prom-client\// },
  { part: "key directory", test: /src\/governance\/create-key-directory\./ },
  { part: "graphql", test: /src\/graphql\/|src\/server\/(serve-graphql-ws|use-graphql-ws|serve-multipart-subscription)\.|\/node_modules\/(graphql|graphql-ws|graphql-yoga|ws)\// },
  { part: "request path", test: /src\/(gateway|routing|providers|server|accounting|core|governance)\/|\/node_modules\/undici\/|node:_http_|node:http/ },
  // drizzle-orm's own source maps name its files node_modules/src/….
  { part: "postgres driver", test: /\/node_modules\/(pg|pg-protocol|pg-pool|drizzle-orm|src)\// },
];

const GC_FRAME = "(garbage collector)";

/**
 * Every stretch of back-to-back busy samples (anything but idle) that starts within [fromUs, toUs)
 * on the monotonic clock (the whole profile by default), with `under` and `parts` filled in.
 * A request that arrives during a stretch waits for the rest of it: the longest stretches are
 * the floor of the gateway's tail, whatever else runs on the machine.
 */
export function busyStretches(profile: CpuProfile, fromUs = Number.NEGATIVE_INFINITY, toUs = Number.POSITIVE_INFINITY): LongTask[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, { ...node, callFrame: { ...node.callFrame, url: originalUrl(node.callFrame) } }]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const partOfNode = new Map<number, string>();
  const partOf = (id: number): string => {
    const known = partOfNode.get(id);
    if (known !== undefined) return known;
    const urls: string[] = [];
    for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) urls.push(byId.get(current)!.callFrame.url);
    const stack = urls.join("\n");
    const part = byId.get(id)!.callFrame.functionName === GC_FRAME ? "GC" : (PARTS.find(({ test }) => test.test(stack))?.part ?? "other");
    partOfNode.set(id, part);
    return part;
  };
  const tasks: LongTask[] = [];
  let at = profile.startTime;
  let start = -1;
  let under = new Map<string, number>();
  let parts = new Map<string, number>();
  const close = (end: number) => {
    if (start >= fromUs && start < toUs) {
      tasks.push({
        startMs: (start - profile.startTime) / 1000,
        durationMs: (end - start) / 1000,
        under: [...under].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([frame, us]) => ({ frame, ms: us / 1000 })),
        parts: [...parts].sort((a, b) => b[1] - a[1]).map(([part, us]) => ({ part, ms: us / 1000 })),
      });
    }
    start = -1;
    under = new Map();
    parts = new Map();
  };
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    const node = byId.get(id);
    if (!node) return;
    if (node.callFrame.functionName === "(idle)") {
      if (start >= 0) close(at - delta);
      return;
    }
    if (start < 0) start = at - delta;
    const part = partOf(id);
    parts.set(part, (parts.get(part) ?? 0) + delta);
    const seen = new Set<string>();
    for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
      const frame = byId.get(current)!.callFrame;
      if (frame.url === "" && !frame.functionName.startsWith("(garbage")) continue;
      const label = `${frame.functionName || "(anonymous)"}@${shorten(frame.url)}`;
      if (seen.has(label)) continue;
      seen.add(label);
      under.set(label, (under.get(label) ?? 0) + delta);
    }
  });
  if (start >= 0) close(at);
  return tasks;
}

export function findLongTasks(profile: CpuProfile, minMs: number, top: number): LongTask[] {
  return longest(busyStretches(profile), minMs, top);
}

/** The `top` longest of `tasks` at least `minMs` long, longest first. */
export function longest(tasks: readonly LongTask[], minMs: number, top: number): LongTask[] {
  return tasks.filter((task) => task.durationMs >= minMs).sort((a, b) => b.durationMs - a.durationMs).slice(0, top);
}

export function formatLongTask(task: LongTask): string[] {
  const parts = task.parts.map(({ part, ms }) => `${part} ${ms.toFixed(1)}`).join(", ");
  return [
    `${task.durationMs.toFixed(1)} ms busy at +${(task.startMs / 1000).toFixed(3)} s (${parts} ms):`,
    ...task.under.map(({ frame, ms }) => `    ${ms.toFixed(1).padStart(7)} ms  ${frame}`),
  ];
}

const sourceMaps = new Map<string, SourceMap | undefined>();

/**
 * The source a frame's code came from: the gateway's entry is bundled (scripts/bundle-server.mjs), so
 * its frames name dist/src/main.js or a dist/chunks file; their source maps lead back to src/… and to
 * node_modules/<package>/…. A file without a map keeps its own URL.
 */
function originalUrl(frame: CallFrame): string {
  if (!frame.url.startsWith("file://") || !frame.url.endsWith(".js")) return frame.url;
  let map = sourceMaps.get(frame.url);
  if (!sourceMaps.has(frame.url)) {
    const mapFile = `${fileURLToPath(frame.url)}.map`;
    map = existsSync(mapFile) ? new SourceMap(JSON.parse(readFileSync(mapFile, "utf8")) as ConstructorParameters<typeof SourceMap>[0]) : undefined;
    sourceMaps.set(frame.url, map);
  }
  const entry = map?.findEntry(frame.lineNumber, frame.columnNumber ?? 0) as { originalSource?: string } | undefined;
  return entry?.originalSource ? new URL(entry.originalSource, frame.url).href : frame.url;
}

function shorten(url: string): string {
  const path = url.replace(/^file:\/\//, "");
  const modules = path.lastIndexOf("node_modules/");
  if (modules >= 0) return path.slice(modules + 13).split("/").slice(0, 2).join("/");
  const dist = path.indexOf("dist/");
  if (dist >= 0) return path.slice(dist + 5);
  const src = path.lastIndexOf("/src/");
  return src >= 0 ? path.slice(src + 1) : path;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [file, minMs = "5", top = "12"] = process.argv.slice(2);
  if (!file) throw new Error("usage: long-tasks FILE.cpuprofile [MIN_MS] [TOP]");
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  for (const task of findLongTasks(profile, Number(minMs), Number(top))) for (const line of formatLongTask(task)) console.log(line);
}
