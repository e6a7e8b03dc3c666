import { describe, expect, it } from "vitest";
import type { ProviderErrorKind } from "../../core/index.js";
import { createHealthTracker } from "./create-health-tracker.js";

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function setup(ids: string[]) {
  let clock = 1_000_000;
  const health = createHealthTracker({
    deployments: ids.map((id) => ({ id, group: "g" })),
    cooldown: { failures: 2, windowMs: 10_000, durationMs: 5_000 },
    now: () => clock,
  });
  const fail = (id: string, errorKind: ProviderErrorKind = "server") => {
    health.begin(id);
    health.end(id, { ok: false, errorKind, latencyMs: 1 });
  };
  const succeed = (id: string) => {
    health.begin(id);
    health.end(id, { ok: true, latencyMs: 1 });
  };
  return { health, fail, succeed, advance: (ms: number) => (clock += ms), clock: () => clock };
}

const ds = ["a", "b", "c"].map((id) => ({ id }));

describe("health tracker: available", () => {
  it("returns the list itself while nothing is cooling down", () => {
    const { health, fail } = setup(["a", "b", "c"]);
    expect(health.available(ds)).toBe(ds);
    fail("a"); // one failure: degraded, still available
    expect(health.snapshot("a").status).toBe("DEGRADED");
    expect(health.available(ds)).toBe(ds);
  });

  it("leaves out a deployment while it cools down, lets one probe through after, and recovers", () => {
    const { health, fail, succeed, advance } = setup(["a", "b", "c"]);
    fail("b", "auth");
    expect(health.available(ds).map((d) => d.id)).toEqual(["a", "c"]);
    advance(5_000);
    expect(health.available(ds)).toEqual(ds); // half-open
    health.begin("b"); // the probe is out
    expect(health.available(ds).map((d) => d.id)).toEqual(["a", "c"]);
    health.end("b", { ok: true, latencyMs: 1 });
    expect(health.snapshot("b").status).toBe("HEALTHY");
    expect(health.available(ds)).toBe(ds);
    succeed("a");
    expect(health.available(ds)).toBe(ds);
  });

  it("agrees with isAvailable when the clock steps back into a cooldown that has already ended", () => {
    const { health, fail, advance } = setup(["a", "b", "c"]);
    fail("a", "auth");
    advance(5_000);
    health.begin("a");
    health.end("a", { ok: true, latencyMs: 1 }); // the probe succeeds: healthy again
    advance(-1);
    expect(health.isAvailable("a")).toBe(false);
    expect(health.available(ds).map((d) => d.id)).toEqual(["b", "c"]);
  });

  it("agrees with isAvailable over random outcomes, including a clock that steps back", () => {
    const random = seeded(7);
    const ids = ["a", "b", "c", "d"];
    const { health, advance, clock } = setup(ids);
    const list = ids.map((id) => ({ id }));
    const kinds: ProviderErrorKind[] = ["server", "rate_limit", "auth", "timeout", "cancelled"];
    const inFlight: string[] = [];
    for (let step = 0; step < 3_000; step++) {
      const id = ids[Math.floor(random() * ids.length)]!;
      const roll = random();
      if (roll < 0.3) {
        health.begin(id);
        inFlight.push(id);
      } else if (roll < 0.7 && inFlight.length > 0) {
        const ended = inFlight.splice(Math.floor(random() * inFlight.length), 1)[0]!;
        const ok = random() < 0.5;
        health.end(ended, ok ? { ok, latencyMs: 5 } : { ok, errorKind: kinds[Math.floor(random() * kinds.length)]!, latencyMs: 5, ...(random() < 0.3 ? { retryAfterMs: 2_000 } : {}) });
      } else {
        advance(Math.floor(random() * 4_000) - 500);
      }
      const at = clock();
      expect(health.available(list, at).map((d) => d.id)).toEqual(ids.filter((x) => health.isAvailable(x, at)));
    }
  });
});
