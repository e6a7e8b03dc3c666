/**
 * Top self-time functions of a V8 .cpuprofile (from `node --cpu-prof`):
 *   node dist/bench/summarize-cpu-profile.js FILE.cpuprofile [TOP]
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface HotSpot {
  functionName: string;
  /** Shortened location: `node_modules/<pkg>/…`, `dist/…`, `node:…`, with the 1-based line. */
  location: string;
  selfMs: number;
  /** Share of the busy time (everything but idle). */
  percentOfBusy: number;
}

export interface CpuProfileSummary {
  totalMs: number;
  idleMs: number;
  busyMs: number;
  hotSpots: HotSpot[];
  /** Self time rolled up by npm package, `dist/src/<folder>`, Node internals or native code. */
  byArea: Array<{ area: string; selfMs: number; percentOfBusy: number }>;
}

export function summarizeCpuProfile(profile: CpuProfile, top = 15): CpuProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfByKey = new Map<string, { functionName: string; location: string; selfUs: number }>();
  const selfByArea = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    const node = byId.get(id);
    if (node === undefined) return;
    totalUs += delta;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === "(idle)") idleUs += delta;
    else selfByArea.set(areaOf(url, functionName), (selfByArea.get(areaOf(url, functionName)) ?? 0) + delta);
    const name = functionName || "(anonymous)";
    const location = url === "" ? "" : `${shortenUrl(url)}:${lineNumber + 1}`;
    const key = `${name}@${location}`;
    const entry = selfByKey.get(key) ?? { functionName: name, location, selfUs: 0 };
    entry.selfUs += delta;
    selfByKey.set(key, entry);
  });
  const busyUs = totalUs - idleUs;
  const hotSpots = [...selfByKey.values()]
    .filter((entry) => entry.functionName !== "(idle)")
    .sort((a, b) => b.selfUs - a.selfUs)
    .slice(0, top)
    .map((entry) => ({
      functionName: entry.functionName,
      location: entry.location,
      selfMs: entry.selfUs / 1000,
      percentOfBusy: busyUs > 0 ? (100 * entry.selfUs) / busyUs : 0,
    }));
  const byArea = [...selfByArea]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([area, us]) => ({ area, selfMs: us / 1000, percentOfBusy: busyUs > 0 ? (100 * us) / busyUs : 0 }));
  return { totalMs: totalUs / 1000, idleMs: idleUs / 1000, busyMs: busyUs / 1000, hotSpots, byArea };
}

function areaOf(url: string, functionName: string): string {
  if (url === "") return functionName.startsWith("(") ? functionName : "(native: syscalls, V8 builtins)";
  if (url.startsWith("node:")) return "node internals";
  const path = url.replace(/^file:\/\//, "");
  const modules = path.lastIndexOf("/node_modules/");
  if (modules >= 0) {
    const [first, second] = path.slice(modules + "/node_modules/".length).split("/");
    return first?.startsWith("@") ? `${first}/${second}` : (first ?? path);
  }
  const src = path.indexOf("/dist/src/");
  if (src >= 0) return `switchyard src/${path.slice(src + "/dist/src/".length).split("/")[0]}`;
  return path;
}

function shortenUrl(url: string): string {
  const path = url.replace(/^file:\/\//, "");
  const modules = path.lastIndexOf("/node_modules/");
  if (modules >= 0) return path.slice(modules + 1);
  const dist = path.indexOf("/dist/");
  return dist >= 0 ? path.slice(dist + 1) : path;
}

export function formatCpuProfileSummary(summary: CpuProfileSummary): string[] {
  const lines = [
    `  profile: ${(summary.totalMs / 1000).toFixed(1)} s sampled, ${(summary.busyMs / 1000).toFixed(1)} s busy, ${(summary.idleMs / 1000).toFixed(1)} s idle`,
    "    self ms   % busy  function (location)",
  ];
  for (const spot of summary.hotSpots) {
    lines.push(`  ${spot.selfMs.toFixed(0).padStart(8)}  ${spot.percentOfBusy.toFixed(1).padStart(6)}%  ${spot.functionName}${spot.location ? ` (${spot.location})` : ""}`);
  }
  lines.push("  self time by area:");
  for (const { area, selfMs, percentOfBusy } of summary.byArea) {
    lines.push(`  ${selfMs.toFixed(0).padStart(8)}  ${percentOfBusy.toFixed(1).padStart(6)}%  ${area}`);
  }
  return lines;
}

/** The newest .cpuprofile in `dir` written since `sinceMs`, or undefined. */
export function newestCpuProfile(dir: string, sinceMs: number): string | undefined {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".cpuprofile"))
    .map((name) => ({ file: join(dir, name), at: statSync(join(dir, name)).mtimeMs }))
    .filter((entry) => entry.at >= sinceMs)
    .sort((a, b) => b.at - a.at)[0]?.file;
}

export function readCpuProfile(file: string): CpuProfile {
  return JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const file = process.argv[2];
  if (file === undefined) {
    console.error("usage: node dist/bench/summarize-cpu-profile.js FILE.cpuprofile [TOP]");
    process.exitCode = 1;
  } else {
    const top = process.argv[3] === undefined ? 15 : Number(process.argv[3]);
    for (const line of formatCpuProfileSummary(summarizeCpuProfile(readCpuProfile(file), top))) console.log(line);
  }
}
