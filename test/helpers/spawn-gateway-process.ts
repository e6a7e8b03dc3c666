import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";

// The sources run as they are, compiled on load by SWC (test/helpers/swc-node), so no build is needed.
const mainFile = join(process.cwd(), "src", "main.ts");
const register = join(process.cwd(), "test", "helpers", "swc-node", "register.mjs");

export interface GatewayProcess {
  child: ChildProcess;
  /** Resolves with the URL the gateway prints once it listens; rejects if it exits first. */
  url: Promise<string>;
  /** Resolves with the exit code (null when killed by a signal) once the process has ended. */
  exited: Promise<number | null>;
}

/**
 * `main.ts` in its own process, as in production (NODE_ENV=production, port 0, no DATABASE_URL or
 * master key from the test's environment; `extraEnv` sets variables on top).
 */
export function spawnGatewayProcess(cwd: string, configPath: string, extraEnv: NodeJS.ProcessEnv = {}): GatewayProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: "0", NODE_ENV: "production" };
  delete env.DATABASE_URL;
  delete env.SWITCHYARD_MASTER_KEY;
  Object.assign(env, extraEnv);
  const child = spawn(process.execPath, ["--import", register, mainFile, "--config", configPath], { cwd, env, stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      const found = /Switchyard on (http:\/\/\S+)/.exec(line)?.[1];
      if (found) resolve(found);
    });
    void exited.then((code) => reject(new Error(`the gateway exited early with ${code}`)));
  });
  return { child, url, exited };
}
