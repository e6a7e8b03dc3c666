import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

/**
 * Where call-log-worker.ts is at run time, and what the thread needs to load it:
 *
 * - compiled: dist/src/db/call-log-worker.js, a bundle entry of its own (scripts/bundle-server.mjs).
 *   This module is beside it when loaded from tsc's output, and bundled into dist/src/main.js or a
 *   chunk in dist/chunks/ otherwise, so the file is looked for from each of those places;
 * - TypeScript sources (tests, test/helpers/spawn-gateway-process.ts): a thread does not inherit
 *   the loader hooks the main thread registered with module.register, so it is started with
 *   `--import` of the SWC loader's register file (test/helpers/swc-node/register.mjs). The loader's
 *   native addon (@swc/core) is loaded here too, so that it stays in the process when a thread ends:
 *   measured on Node 20, a second thread whose loader loads it again after the first thread ended
 *   crashes the process (SIGSEGV), as in vitest's forks, whose main thread has no loader of its own.
 */
export function callLogWorkerEntry(): { url: URL; execArgv?: string[] } {
  const here = import.meta.url;
  if (here.endsWith(".ts")) {
    const register = fileURLToPath(new URL("../../test/helpers/swc-node/register.mjs", here));
    const inherited = process.execArgv.some((argument) => argument.endsWith("register.mjs"));
    createRequire(here)("@swc/core");
    return { url: new URL("./call-log-worker.ts", here), ...(inherited ? {} : { execArgv: ["--import", register] }) };
  }
  for (const relative of ["./call-log-worker.js", "./db/call-log-worker.js", "../src/db/call-log-worker.js"]) {
    const url = new URL(relative, here);
    if (existsSync(url)) return { url };
  }
  throw new Error(`cannot find call-log-worker.js from ${fileURLToPath(here)}`);
}
