import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { spawnNodeChild, stopAllChildren } from "../../bench/spawn-child.js";

const openFilesOf = (pid: number) => readFileSync(`/proc/${pid}/limits`, "utf8").split("\n").find((l) => l.startsWith("Max open files"))?.split(/\s+/).slice(3, 5);

describe("spawnNodeChild with openFiles", () => {
  afterAll(() => stopAllChildren(1000));

  it("starts node itself (same pid) under the given ulimit -n, soft and hard", async () => {
    // Lowering is always allowed, so the test holds whatever limits it runs under.
    const child = await spawnNodeChild({ name: "limited", args: ["-e", "console.log('URL=http://127.0.0.1:1'); setInterval(() => {}, 1000)"], env: process.env, cwd: process.cwd(), readyPattern: /URL=(\S+)/, openFiles: 777 });
    expect(readFileSync(`/proc/${child.pid}/comm`, "utf8").trim()).toBe("node");
    expect(openFilesOf(child.pid)).toEqual(["777", "777"]);
    await child.stop(1000);
  });
});
