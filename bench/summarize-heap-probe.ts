/**
 * Bytes allocated per HTTP request in a bench/heap-probe.ts file, by the deepest frame of Switchyard's own
 * source (bundled frames read back through the source maps beside the chunks; Node's and packages' frames
 * count under the frame of ours that called them, or "(no frame of ours)"):
 *
 *   node dist/bench/summarize-heap-probe.js FILE [TOP]
 */
import { existsSync, readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  selfSize: number;
  children: HeapNode[];
}

export interface HeapProbeSummary {
  requests: number;
  bytesPerRequest: number;
  /** Bytes per request by source file of ours, largest first. */
  byFile: Array<{ file: string; bytes: number }>;
}

export function summarizeHeapProbe(probe: { requests: number; profile: { head: HeapNode } }): HeapProbeSummary {
  const maps = new Map<string, SourceMap | undefined>();
  const ownFile = (frame: HeapNode["callFrame"]): string | undefined => {
    const path = frame.url.startsWith("file://") ? fileURLToPath(frame.url) : frame.url;
    const src = path.indexOf("/dist/src/");
    if (src >= 0) return `src/${path.slice(src + "/dist/src/".length).replace(/\.js$/, ".ts")}`;
    if (!path.includes("/dist/chunks/")) return undefined;
    if (!maps.has(path)) maps.set(path, existsSync(`${path}.map`) ? new SourceMap(JSON.parse(readFileSync(`${path}.map`, "utf8"))) : undefined);
    const entry = maps.get(path)?.findEntry(frame.lineNumber, frame.columnNumber) as { originalSource?: string } | undefined;
    const source = entry?.originalSource;
    const at = source?.lastIndexOf("/src/") ?? -1;
    return source !== undefined && at >= 0 ? source.slice(at + 1) : undefined;
  };
  const bytes = new Map<string, number>();
  let total = 0;
  const walk = (node: HeapNode, deepest: string): void => {
    const file = ownFile(node.callFrame) ?? deepest;
    total += node.selfSize;
    if (node.selfSize > 0) bytes.set(file, (bytes.get(file) ?? 0) + node.selfSize);
    for (const child of node.children) walk(child, file);
  };
  walk(probe.profile.head, "(no frame of ours)");
  const per = (n: number) => (probe.requests > 0 ? n / probe.requests : 0);
  return {
    requests: probe.requests,
    bytesPerRequest: per(total),
    byFile: [...bytes].sort((a, b) => b[1] - a[1]).map(([file, n]) => ({ file, bytes: per(n) })),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const file = process.argv[2];
  if (!file) throw new Error("usage: summarize-heap-probe FILE [TOP]");
  const summary = summarizeHeapProbe(JSON.parse(readFileSync(file, "utf8")));
  console.log(`${summary.requests} requests, ${(summary.bytesPerRequest / 1000).toFixed(1)} kB allocated per request`);
  for (const { file: name, bytes } of summary.byFile.slice(0, Number(process.argv[3] ?? 30))) console.log(`${bytes.toFixed(0).padStart(8)} B  ${name}`);
}
