import { join } from "node:path";
import { spawnNodeChild, type ChildHandle } from "./spawn-child.js";

/** The floor proxy (bench/floor-proxy.ts) in its own process, in front of `upstreamUrl` (on `cpus` only, if given). */
export function spawnFloor(root: string, upstreamUrl: string, cpus?: string): Promise<ChildHandle> {
  return spawnNodeChild({
    name: "floor",
    args: [join(root, "dist/bench/floor-proxy.js"), "--upstream", upstreamUrl],
    env: { ...process.env },
    cwd: root,
    readyPattern: /FLOOR_URL=(\S+)/,
    ...(cpus !== undefined ? { cpus } : {}),
  });
}
