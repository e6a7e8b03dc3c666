import { spawn, type ChildProcess } from "node:child_process";

export interface ChildOptions {
  name: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Matched against stdout; group 1 is the URL the child listens on. */
  readyPattern: RegExp;
  readyTimeoutMs?: number;
  /** Run it on these CPUs only (`taskset -c`, e.g. "1"); its threads and children inherit the mask. */
  cpus?: string;
  /** Open an IPC channel to it (`process.send` in the child, `handle.child` here). */
  ipc?: boolean;
  /** Start it with this `ulimit -n` (soft and hard; `sh -c 'ulimit -n N && exec …'`, same pid): absent, this process's own. */
  openFiles?: number;
}

export interface ChildHandle {
  name: string;
  pid: number;
  url: string;
  child: ChildProcess;
  /** The last few kilobytes of stdout and stderr, for error reports. */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<ChildHandle>();
const TAIL_BYTES = 8192;

/** Starts `node <args>` in its own process and resolves once it prints its URL. */
export function spawnNodeChild(options: ChildOptions): Promise<ChildHandle> {
  const pinned = options.cpus === undefined ? [process.execPath, ...options.args] : ["taskset", "-c", options.cpus, process.execPath, ...options.args];
  const [command, ...args] = options.openFiles === undefined ? pinned : ["sh", "-c", 'ulimit -n "$0" && exec "$@"', String(options.openFiles), ...pinned];
  const child = spawn(command!, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe", ...(options.ipc ? (["ipc"] as const) : [])] });
  let tail = "";
  let stdoutText = "";
  let ready = false;
  const keep = (text: string): void => {
    tail = (tail + text).slice(-TAIL_BYTES);
  };
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  return new Promise<ChildHandle>((resolve, reject) => {
    const fail = (reason: string): void => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`${options.name}: ${reason}\n${tail}`));
    };
    const timer = setTimeout(() => fail("did not report its URL in time"), options.readyTimeoutMs ?? 30_000);
    const onError = (error: Error): void => fail(error.message);
    const onEarlyExit = (code: number | null, signal: string | null): void => fail(`exited before it was ready (code ${code}, signal ${signal})`);
    child.once("error", onError);
    child.once("exit", onEarlyExit);
    child.stderr?.setEncoding("utf8").on("data", keep);
    child.stdout?.setEncoding("utf8").on("data", (text: string) => {
      keep(text);
      if (ready) return;
      stdoutText += text;
      const match = options.readyPattern.exec(stdoutText);
      if (!match?.[1]) return;
      ready = true;
      clearTimeout(timer);
      child.off("exit", onEarlyExit);
      child.off("error", onError);
      const handle = makeHandle(options.name, child, match[1], exited, () => tail);
      running.add(handle);
      resolve(handle);
    });
  });
}

function makeHandle(name: string, child: ChildProcess, url: string, exited: Promise<void>, output: () => string): ChildHandle {
  let stopping: Promise<void> | undefined;
  const handle: ChildHandle = {
    name,
    pid: child.pid ?? -1,
    url,
    child,
    output,
    stop: (graceMs = 20_000) =>
      (stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill("SIGTERM");
          const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
          await exited;
          clearTimeout(timer);
        }
        running.delete(handle);
      })()),
  };
  return handle;
}

/** Stops every child still running (used on failure and on SIGINT). */
export async function stopAllChildren(graceMs?: number): Promise<void> {
  await Promise.all([...running].map((child) => child.stop(graceMs)));
}
