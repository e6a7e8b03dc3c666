import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulatorFromArgs } from "./start-simulator-from-args.js";
import { postChat, userMessages } from "./simulator.test-helpers.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "simulator-cli-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("startSimulatorFromArgs", () => {
  it("serves the profiles file: 'default' for /v1, other names under /p/{name}", async () => {
    const file = join(dir, "profiles.json");
    await writeFile(file, JSON.stringify({ default: { model: "sim-default", outputTokens: 2 }, flaky: { failures: { serverError: 1 } } }));
    const simulator = await startSimulatorFromArgs(["--port", "0", "--seed", "3", "--profiles", file, "--api-key", "k"]);
    try {
      const headers = { authorization: "Bearer k" };
      const ok = await postChat(simulator.url, { model: "m", messages: userMessages() }, { headers });
      expect(((await ok.json()) as { model: string }).model).toBe("sim-default");
      const flaky = await postChat(simulator.url, { model: "m", messages: userMessages() }, { headers, path: "/p/flaky/v1/chat/completions" });
      expect(flaky.status).toBe(500);
      await flaky.arrayBuffer();
    } finally {
      await simulator.close();
    }
  });

  it("rejects a profiles file with an unknown knob, naming the path", async () => {
    const file = join(dir, "bad.json");
    await writeFile(file, JSON.stringify({ fast: { failures: { rateLimits: 0.5 } } }));
    await expect(startSimulatorFromArgs(["--profiles", file])).rejects.toThrow(/fast\.failures/);
  });

  it("rejects a non-integer port", async () => {
    await expect(startSimulatorFromArgs(["--port", "abc"])).rejects.toThrow(/--port/);
  });
});

// The CLI as a child process, the way the benchmark runs it (through tsx, which ships with the dev tools).
const tsx = join(process.cwd(), "node_modules", ".bin", "tsx");
describe.skipIf(!existsSync(tsx))("cli", () => {
  it("prints SIMULATOR_URL once listening and exits with 0 on SIGTERM", async () => {
    const child = spawn(tsx, [join(import.meta.dirname, "cli.ts"), "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).once("line", resolve);
        child.once("exit", (code) => reject(new Error(`cli exited early with ${code}`)));
      });
      const url = /^SIMULATOR_URL=(http:\/\/127\.0\.0\.1:\d+)$/.exec(line)?.[1];
      expect(url).toBeDefined();
      const response = await postChat(url!, { model: "m", messages: userMessages() });
      expect(response.status).toBe(200);
      await response.arrayBuffer();
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});
