/**
 * Where the event loop stalls: the longest stretches of back-to-back busy samples in a V8
 * .cpuprofile, each with the Switchyard and library frames it spent the most time under.
 *   node dist/bench/long-tasks.js FILE.cpuprofile [MIN_MS=5] [TOP=12]
 */
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
}

export interface LongTask {
  startMs: number;
  durationMs: number;
  /** Frames (function@file) by the time spent under them in this stretch, most first. */
  under: Array<{ frame: string; ms: number }>;
}

export function findLongTasks(profile: CpuProfile, minMs: number, top: number): LongTask[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const tasks: LongTask[] = [];
  let at = 0;
  let start = -1;
  let under = new Map<string, number>();
  const close = (end: number) => {
    if (start >= 0 && (end - start) / 1000 >= minMs) {
      tasks.push({ startMs: start / 1000, durationMs: (end - start) / 1000, under: [...under].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([frame, us]) => ({ frame, ms: us / 1000 })) });
    }
    start = -1;
    under = new Map();
  };
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    const node = byId.get(id);
    if (!node) return;
    if (node.callFrame.functionName === "(idle)") return close(at);
    if (start < 0) start = at - delta;
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
  close(at);
  return tasks.sort((a, b) => b.durationMs - a.durationMs).slice(0, top);
}

function shorten(url: string): string {
  const path = url.replace(/^file:\/\//, "");
  const modules = path.lastIndexOf("node_modules/");
  if (modules >= 0) return path.slice(modules + 13).split("/").slice(0, 2).join("/");
  const dist = path.indexOf("dist/");
  return dist >= 0 ? path.slice(dist + 5) : path;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [file, minMs = "5", top = "12"] = process.argv.slice(2);
  if (!file) throw new Error("usage: long-tasks FILE.cpuprofile [MIN_MS] [TOP]");
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  for (const task of findLongTasks(profile, Number(minMs), Number(top))) {
    console.log(`${task.durationMs.toFixed(1)} ms busy at +${(task.startMs / 1000).toFixed(3)} s:`);
    for (const { frame, ms } of task.under) console.log(`    ${ms.toFixed(1).padStart(7)} ms  ${frame}`);
  }
}
