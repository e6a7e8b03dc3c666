import { describe, expect, it } from "vitest";
import { createHealthTracker } from "./create-health-tracker.js";
import type { HealthShare, SharedHealthUpdate } from "./health-share.js";
import type { HealthChange } from "./health-types.js";

/** A share that records what the tracker sends and lets the test play the cluster's answers. */
function recordingShare() {
  const sent: string[] = [];
  let apply: (update: SharedHealthUpdate) => void = () => undefined;
  const share: HealthShare = {
    probeClaimMs: 10_000,
    attach: (target) => (apply = target),
    failure: (id) => sent.push(`failure ${id}`),
    success: (id) => sent.push(`success ${id}`),
    cooled: (id, ms) => sent.push(`cooled ${id} ${ms}`),
    recovered: (id) => sent.push(`recovered ${id}`),
    claimProbe: (id) => sent.push(`claim ${id}`),
  };
  return { share, sent, apply: (update: SharedHealthUpdate) => apply(update) };
}

function setup() {
  let clock = 1_000_000;
  const cluster = recordingShare();
  const health = createHealthTracker({
    deployments: [{ id: "a", group: "g" }, { id: "b", group: "g" }],
    cooldown: { failures: 2, windowMs: 10_000, durationMs: 5_000 },
    now: () => clock,
    share: cluster.share,
  });
  const changes: HealthChange[] = [];
  health.subscribe((change) => changes.push(change));
  const end = (id: string, ok: boolean, errorKind?: "server" | "auth") => {
    health.begin(id);
    health.end(id, ok ? { ok, latencyMs: 1 } : { ok, errorKind: errorKind ?? "server", latencyMs: 1 });
  };
  return { health, ...cluster, changes, end, advance: (ms: number) => (clock += ms) };
}

describe("health tracker with a share", () => {
  it("sends counted failures, successes and its own cooldowns; never a cancelled attempt", () => {
    const { health, sent, end } = setup();
    end("a", false);
    end("a", true);
    health.begin("a");
    health.end("a", { ok: false, errorKind: "cancelled", latencyMs: 1 });
    end("a", false, "auth");
    expect(sent).toEqual(["failure a", "success a", "cooled a 5000"]);
  });

  it("applies the cluster's cooldown as its own: unavailable, subscribers told, not sent back", () => {
    const { health, sent, apply, changes } = setup();
    apply({ deployment: "a", kind: "cooling", remainingMs: 3_000 });
    expect(health.isAvailable("a")).toBe(false);
    expect(health.available([{ id: "a" }, { id: "b" }])).toEqual([{ id: "b" }]);
    expect(changes.map((c) => [c.deployment, c.to])).toEqual([["a", "COOLING_DOWN"]]);
    apply({ deployment: "a", kind: "cooling", remainingMs: 1_000 }); // never shortens
    expect(health.snapshot("a").cooldownUntil).toBe(1_003_000);
    apply({ deployment: "unknown", kind: "cooling", remainingMs: 1_000 }); // another configuration's
    expect(sent).toEqual([]);
  });

  it("past the cooldown, probes only once the cluster granted it the claim", () => {
    const { health, sent, apply, advance, end, changes } = setup();
    end("a", false, "auth");
    advance(5_000);
    expect(health.isAvailable("a")).toBe(false); // asks
    expect(health.isAvailable("a")).toBe(false); // asked already: waits for the answer
    expect(sent.filter((s) => s.startsWith("claim"))).toEqual(["claim a"]);
    apply({ deployment: "a", kind: "probe", granted: false });
    expect(health.isAvailable("a")).toBe(false);
    advance(1_000);
    expect(health.isAvailable("a")).toBe(false); // refused a second ago: asks again
    apply({ deployment: "a", kind: "probe", granted: true });
    expect(health.isAvailable("a")).toBe(true);
    health.begin("a");
    expect(health.isAvailable("a")).toBe(false); // the probe is out
    health.end("a", { ok: true, latencyMs: 1 });
    expect(sent.at(-1)).toBe("recovered a");
    expect(changes.map((c) => c.to)).toEqual(["COOLING_DOWN", "HEALTHY"]);
  });

  it("ends a cooldown when another instance's probe succeeded", () => {
    const { health, apply, advance, end } = setup();
    end("a", false, "auth");
    apply({ deployment: "a", kind: "healthy" });
    expect(health.snapshot("a").status).toBe("HEALTHY");
    expect(health.isAvailable("a")).toBe(true);
    advance(1);
    expect(health.available([{ id: "a" }, { id: "b" }])).toEqual([{ id: "a" }, { id: "b" }]);
    apply({ deployment: "b", kind: "healthy" }); // not cooling: nothing to end
    expect(health.snapshot("b").status).toBe("UNKNOWN");
  });
});
