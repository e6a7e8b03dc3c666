import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerRun, closeTargets } from "../../bench/load-generator-runs.js";
import { spawnLoadGenerator, type ClosedLoopResult, type HttpTarget } from "../../bench/load-generator.js";
import type { OpenLoopResult } from "../../bench/open-loop.js";
import { closedFailures } from "../../bench/side-by-side.js";

const CHAT = JSON.stringify({ choices: [{ message: { role: "assistant", content: "hello" } }] });

/** Answers a chat completion, except every 5th request (500) and every 7th (200 without content). */
let server: Server;
let url = "";
const answered = { ok: 0, error: 0, bad: 0 };

beforeAll(async () => {
  let n = 0;
  server = createServer((req, res) => {
    req.resume();
    req.once("end", () => {
      n++;
      if (n % 5 === 0) {
        answered.error++;
        res.writeHead(500, { "content-type": "application/json" }).end('{"error":{"message":"boom"}}');
      } else if (n % 7 === 0) {
        answered.bad++;
        res.writeHead(200, { "content-type": "application/json" }).end('{"choices":[]}');
      } else {
        answered.ok++;
        res.writeHead(200, { "content-type": "application/json" }).end(CHAT);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await closeTargets();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const target = (): HttpTarget => ({ door: "http", url, path: "/v1/chat/completions", body: "{}", expect: "chat" });

/** Every answer read is counted once as ok, non-2xx or a bad body; the rate is the good ones over the run. */
function expectConsistent(result: ClosedLoopResult): void {
  expect(result.responses).toBe(result.ok + result.non2xx + result.badBodies);
  expect(result.sent).toBeGreaterThanOrEqual(result.responses);
  expect(result.ok).toBeGreaterThan(0);
  expect(result.non2xx).toBeGreaterThan(0);
  expect(result.badBodies).toBeGreaterThan(0);
  expect(result.latencyMs.count).toBe(result.ok);
  expect(result.requestsPerSecond).toBeCloseTo(result.ok / result.seconds, 6);
  expect(closedFailures(result)).toBe(result.non2xx + result.badBodies + result.connectionErrors + result.timeouts);
  expect(result.firstFailure).toMatch(/^HTTP (500|200)/);
  expect(result.generator.loopDelay.samples).toBeGreaterThan(0);
  expect(result.generator.gc.pauses).toBeGreaterThanOrEqual(0);
}

describe("the load generator's runs", () => {
  it("runs a closed loop of N connections, counting good answers, non-2xx and bad bodies apart", async () => {
    const before = { ...answered };
    const reply = await answerRun({ id: 7, loop: "closed", connections: 4, seconds: 1, target: target() });
    expect(reply.id).toBe(7);
    if (!("result" in reply)) throw new Error(reply.error);
    const result = reply.result as ClosedLoopResult;
    expect(result.connections).toBe(4);
    expectConsistent(result);
    // The server answered at least every answer read (some may have been in flight when the run stopped).
    expect(answered.ok - before.ok).toBeGreaterThanOrEqual(result.ok);
    expect(answered.error - before.error).toBeGreaterThanOrEqual(result.non2xx);
    expect(answered.bad - before.bad).toBeGreaterThanOrEqual(result.badBodies);
  });
});

// The child process itself, through IPC, the way `npm run bench` runs it (its TypeScript through tsx).
const root = join(import.meta.dirname, "../..");
describe.skipIf(!existsSync(join(root, "node_modules/tsx")))("the load-generator process", () => {
  it("runs open and closed loops asked over IPC and answers each with its figures", async () => {
    const generator = await spawnLoadGenerator(root, undefined, ["--import", "tsx", join(root, "bench/load-generator-child.ts")]);
    try {
      const [closed, open] = await Promise.all([
        generator.closedLoop(2, 1, target()),
        generator.run(200, 0.2, target()) as Promise<OpenLoopResult>,
      ]);
      expectConsistent(closed);
      expect(open.sent).toBe(40);
      expect(open.ok + open.failed).toBe(40);
      expect(open.failed).toBeGreaterThan(0);
    } finally {
      await generator.stop();
    }
  }, 60_000);
});
