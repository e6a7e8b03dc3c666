import { fork, type ChildProcess } from "node:child_process";
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import type { ChildMessage, ParentMessage } from "./gateway-writer-child.js";

/** A gateway process of the three-gateways bench (gateway-writer-child.ts), driven over IPC. */
export interface Gateway {
  child: ChildProcess;
  url: string;
  messages: ChildMessage[];
  waitFor<T extends ChildMessage["type"]>(type: T): Promise<Extract<ChildMessage, { type: T }>>;
  send(message: ParentMessage): void;
}

/** Forks gateway-writer-child.ts on `configPath` and `port`; resolves once it listens. */
export function startGateway(index: number, configPath: string, port: number, stateDir: string, cpuProfileDir?: string): Promise<Gateway> {
  const childPath = fileURLToPath(new URL(`./gateway-writer-child${extname(fileURLToPath(import.meta.url))}`, import.meta.url));
  const execArgv = [...process.execArgv, ...(cpuProfileDir ? ["--cpu-prof", "--cpu-prof-dir", cpuProfileDir] : [])];
  const child = fork(childPath, [configPath, String(port), stateDir], { stdio: ["ignore", "inherit", "inherit", "ipc"], execArgv });
  const messages: ChildMessage[] = [];
  const waiters: Array<{ type: ChildMessage["type"]; resolve: (message: ChildMessage) => void }> = [];
  child.on("message", (message: ChildMessage) => {
    messages.push(message);
    for (const waiter of waiters.filter((w) => w.type === message.type)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(message);
    }
  });
  const exited = new Promise<never>((_, reject) => child.once("exit", (code) => reject(new Error(`gateway ${index} exited (code ${code})`))));
  exited.catch(() => undefined);
  const gateway: Gateway = {
    child,
    url: "",
    messages,
    waitFor: <T extends ChildMessage["type"]>(type: T) =>
      Promise.race([new Promise<Extract<ChildMessage, { type: T }>>((resolve) => waiters.push({ type, resolve: resolve as (m: ChildMessage) => void })), exited]),
    send: (message) => child.send(message),
  };
  return gateway.waitFor("ready").then((ready) => ({ ...gateway, url: ready.url }));
}
