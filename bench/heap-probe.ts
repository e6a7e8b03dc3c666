/**
 * A preload for a gateway under `cpu-per-request`: V8's sampling heap profiler with the objects that minor
 * and major GCs collected included (what a call allocates, not what it keeps; node's own --heap-prof leaves
 * collected objects out), from HEAP_PROBE_DELAY_MS after the start (default 3000) until SIGTERM, and the
 * HTTP requests begun in that window. Written to HEAP_PROBE_OUT (default switchyard-heap-<pid>.json in the
 * temp folder); `node dist/bench/summarize-heap-probe.js FILE` reads it as bytes per request. The path to
 * import is absolute: the benchmark starts the gateway in a temp folder.
 *
 *   HEAP_PROBE_OUT=/tmp/v1.json node dist/bench/cpu-per-request.js --only v1 --rounds 2 \
 *     --node-args "--max-semi-space-size=32 --import $PWD/dist/bench/heap-probe.js"
 */
import { subscribe } from "node:diagnostics_channel";
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import { tmpdir } from "node:os";
import { join } from "node:path";

const out = process.env.HEAP_PROBE_OUT ?? join(tmpdir(), `switchyard-heap-${process.pid}.json`);
const session = new Session();
session.connect();
let requests = 0;
let sampling = false;
subscribe("http.server.request.start", () => {
  if (sampling) requests++;
});
setTimeout(() => {
  session.post("HeapProfiler.enable");
  // 1 kB between samples: a /v1 call (~60 kB) gets about 60.
  session.post("HeapProfiler.startSampling", { samplingInterval: 1024, includeObjectsCollectedByMinorGC: true, includeObjectsCollectedByMajorGC: true }, () => {
    sampling = true;
  });
}, Number(process.env.HEAP_PROBE_DELAY_MS ?? 3000)).unref();
// Before the gateway's own SIGTERM handler drains and exits: an in-process session answers synchronously.
process.prependListener("SIGTERM", () => {
  if (!sampling) return;
  sampling = false;
  session.post("HeapProfiler.stopSampling", (error, result) => {
    if (error) console.error(error);
    else writeFileSync(out, JSON.stringify({ requests, profile: result.profile }));
  });
});
