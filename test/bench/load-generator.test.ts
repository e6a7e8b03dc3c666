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

/** Answers a chat completion, except every 5th request (500) and every 7th (200 without content); `n` counts from the last reset. */
let server: Server;
let url = "";
let n = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.once("end", () => {
      n++;
      if (n % 5 === 0) {
        res.writeHead(500, { "content-type": "application/json" }).end('{"error":{"message":"boom"}}');
      } else if (n % 7 === 0) {
        res.writeHead(200, { "content-type": "application/json" }).end('{"choices":[]}');
      } else {
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

/**
 * 35 requests: 5th, 10th, … (7) answered 500, 7th, 14th, 21st, 28th (4; the 35th is a 500) a 200 without
 * content, 24 good. Every answer is counted once, in one of the three, and the rate is the good ones over the run.
 */
function expect35(result: ClosedLoopResult, connections: number): void {
  expect(result).toMatchObject({ connections, sent: 35, responses: 35, ok: 24, non2xx: 7, badBodies: 4, connectionErrors: 0, timeouts: 0 });
  expect(result.latencyMs.count).toBe(24);
  expect(result.requestsPerSecond).toBeCloseTo(24 / result.seconds, 6);
  expect(closedFailures(result)).toBe(11);
  expect(result.firstFailure).toMatch(/^HTTP (500|200)/);
  expect(result.generator.loopDelay.samples).toBeGreaterThanOrEqual(0);
  expect(result.generator.gc.pauses).toBeGreaterThanOrEqual(0);
}

describe("the load generator's runs", () => {
  it("runs a closed loop of N connections, counting good answers, non-2xx and bad bodies apart", async () => {
    n = 0;
    const reply = await answerRun({ id: 7, loop: "closed", connections: 4, seconds: 60, target: target(), requests: 35 });
    expect(reply.id).toBe(7);
    if (!("result" in reply)) throw new Error(reply.error);
    expect35(reply.result as ClosedLoopResult, 4);
    expect(n).toBe(35);
  });
});

// The child process itself, through IPC, the way `npm run bench` runs it (its TypeScript through tsx).
const root = join(import.meta.dirname, "../..");
describe.skipIf(!existsSync(join(root, "node_modules/tsx")))("the load-generator process", () => {
  it("runs closed and open loops asked over IPC and answers each with its figures", async () => {
    const generator = await spawnLoadGenerator(root, undefined, ["--import", "tsx", join(root, "bench/load-generator-child.ts")]);
    try {
      n = 0;
      expect35(await generator.closedLoop(2, 60, target(), 35), 2);
      n = 0;
      const open: OpenLoopResult = await generator.run(200, 0.2, target());
      // 40 requests: the 5th, 10th, … 40th (8) answered 500, the 7th, 14th, 21st and 28th a 200 without content.
      expect(open).toMatchObject({ sent: 40, ok: 28, failed: 12 });
    } finally {
      await generator.stop();
    }
  }, 60_000);
});
