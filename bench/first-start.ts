/**
 * How long a first `npm start` takes until GET /readyz answers 200: the embedded database folder does not
 * exist yet, dist/ is built (as after `npm install`). Each run gets a scratch folder holding links to the
 * checkout's package.json, scripts/, dist/ and config/, so `npm start` runs the checkout's own start script
 * with the scratch folder as its working directory: ./.switchyard (the database, its lock, spill files)
 * is created there and deleted after the run.
 *
 *   npm run -s bench:first-start -- [--runs 5] [--port 41000] [--later] [--direct] [--root DIR]...
 *
 * --root may be given several times (default: this checkout): the runs alternate between them, so that
 * two builds measured on a busy machine see the same load. --later measures a later start instead
 * (the database folder left by a first start). --direct runs the start script with sh instead of npm
 * (npm's own start-up left out). Besides the wall time it reports the CPU time (user + sys) spent by the
 * start's processes until /readyz answered, which a loaded machine disturbs far less.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    port: { type: "string", default: "41000" },
    root: { type: "string", multiple: true },
    later: { type: "boolean", default: false },
    direct: { type: "boolean", default: false },
    timeout: { type: "string", default: "180000" },
  },
});
const runs = Number(values.runs);
const port = Number(values.port);
const roots = (values.root ?? [process.cwd()]).map((root) => resolve(root));
const timeoutMs = Number(values.timeout);
const LINKED = ["package.json", "scripts", "dist", "config", "node_modules"];
const CLOCK_TICKS = 100;

interface Sample {
  wallMs: number;
  cpuMs: number;
}

/** A scratch working directory that looks like `root` to npm and the start script. */
function scratchFor(root: string): string {
  const dir = mkdtempSync(join(tmpdir(), "switchyard-first-start-"));
  for (const name of LINKED) symlinkSync(join(root, name), join(dir, name));
  mkdirSync(join(dir, ".switchyard"));
  return dir;
}

/** user + sys of a process and of its children that have exited and been waited for, in ms (/proc/<pid>/stat). */
function cpuOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // After the command: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14).
    const ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    return (ticks * 1000) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** The process and every live descendant. */
function treeOf(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // Gone meanwhile.
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!) ?? []));
  return tree;
}

async function ready(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

/** The demo config on embedded PGlite, whatever this shell's environment says. */
function startEnv(runPort: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(runPort), LOG_FORMAT: "json" };
  for (const name of ["SWITCHYARD_CONFIG", "DATABASE_URL", "SWITCHYARD_MASTER_KEY", "REDIS_URL"]) delete env[name];
  for (const name of Object.keys(env)) if (name.startsWith("OTEL_")) delete env[name];
  return env;
}

function start(root: string, cwd: string, runPort: number): ChildProcess {
  const script = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts.start!;
  const [command, args] = values.direct ? ["sh", ["-c", script]] : ["npm", ["start", "--silent"]];
  return spawn(command, args, {
    cwd,
    env: startEnv(runPort),
    stdio: ["ignore", "ignore", "pipe"],
    detached: true,
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  process.kill(-child.pid!, "SIGTERM");
  const timer = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

/** One start until /readyz answers 200. A later start first runs a start to create the database folder. */
async function measure(root: string, runPort: number): Promise<Sample> {
  const cwd = scratchFor(root);
  try {
    if (values.later) await stop(await startedUntilReady(root, cwd, runPort).then(({ child }) => child));
    const { wallMs, cpuMs, child } = await startedUntilReady(root, cwd, runPort);
    await stop(child);
    return { wallMs, cpuMs };
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

async function startedUntilReady(root: string, cwd: string, runPort: number): Promise<Sample & { child: ChildProcess }> {
  const started = performance.now();
  const child = start(root, cwd, runPort);
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (text: string) => (stderr = (stderr + text).slice(-4000)));
  const url = `http://127.0.0.1:${runPort}/readyz`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the start exited with ${child.exitCode} before it was ready:\n${stderr}`);
    if (performance.now() - started > timeoutMs) {
      await stop(child);
      throw new Error(`not ready after ${timeoutMs} ms:\n${stderr}`);
    }
    if (await ready(url)) {
      const wallMs = performance.now() - started;
      const cpuMs = treeOf(child.pid!).reduce((sum, pid) => sum + cpuOf(pid), 0);
      return { wallMs, cpuMs, child };
    }
    await new Promise((done) => setTimeout(done, 20));
  }
}

function summary(samples: Sample[]): string {
  const sorted = (pick: (s: Sample) => number) => samples.map(pick).sort((a, b) => a - b);
  const median = (xs: number[]) => (xs.length % 2 ? xs[(xs.length - 1) / 2]! : (xs[xs.length / 2 - 1]! + xs[xs.length / 2]!) / 2);
  const wall = sorted((s) => s.wallMs);
  const cpu = sorted((s) => s.cpuMs);
  const list = (xs: number[]) => xs.map((x) => (x / 1000).toFixed(2)).join(" ");
  return `wall median ${(median(wall) / 1000).toFixed(2)} s [${list(wall)}]  cpu median ${(median(cpu) / 1000).toFixed(2)} s [${list(cpu)}]`;
}

const samples = new Map<string, Sample[]>(roots.map((root) => [root, []]));
const load = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
process.stdout.write(`${values.later ? "later" : "first"} start, ${values.direct ? "sh -c <start script>" : "npm start"}, ${runs} runs per checkout; load ${load()}\n`);
for (let run = 0; run < runs; run++) {
  for (const [index, root] of roots.entries()) {
    const sample = await measure(root, port + index);
    samples.get(root)!.push(sample);
    process.stdout.write(`  run ${run + 1} ${root}: ${(sample.wallMs / 1000).toFixed(2)} s wall, ${(sample.cpuMs / 1000).toFixed(2)} s cpu\n`);
  }
}
process.stdout.write(`load ${load()}\n`);
for (const [root, list] of samples) process.stdout.write(`${root}: ${summary(list)}\n`);
