import { describe, expect, it } from "vitest";
import { createMemoryStateStore } from "./create-memory-state-store.js";

describe("createMemoryStateStore", () => {
  it("reserves on every budget line or on none", async () => {
    const store = createMemoryStateStore();
    const lines = (amountPico: bigint) => [
      { scope: "key:a", period: "daily:x", limitPico: 100n, amountPico },
      { scope: "team:t", period: "daily:x", limitPico: 50n, amountPico },
    ];
    const first = await store.reserveBudget(lines(40n));
    expect(first.ok).toBe(true);
    const second = await store.reserveBudget(lines(20n));
    expect(second).toMatchObject({ ok: false, scope: "team:t", reservedPico: 40n });
    expect(await store.readBudget("key:a", "daily:x")).toEqual({ spentPico: 0n, reservedPico: 40n });

    await store.settleBudget(first.ok ? first.reservationId : "", 15n);
    await store.settleBudget(first.ok ? first.reservationId : "", 15n);
    expect(await store.readBudget("key:a", "daily:x")).toEqual({ spentPico: 15n, reservedPico: 0n });
    expect(await store.readBudget("team:t", "daily:x")).toEqual({ spentPico: 15n, reservedPico: 0n });
    expect((await store.reserveBudget(lines(35n))).ok).toBe(true);
  });

  it("starts a new period from zero and seeds only what it does not hold", async () => {
    const store = createMemoryStateStore();
    await store.seedBudget("key:a", "daily:1", 90n);
    await store.seedBudget("key:a", "daily:1", 0n);
    expect((await store.reserveBudget([{ scope: "key:a", period: "daily:1", limitPico: 100n, amountPico: 20n }])).ok).toBe(false);
    const next = await store.reserveBudget([{ scope: "key:a", period: "daily:2", limitPico: 100n, amountPico: 20n }]);
    expect(next.ok).toBe(true);
    expect(await store.readBudget("key:a", "daily:1")).toEqual({ spentPico: 0n, reservedPico: 0n });
  });

  it("counts fixed windows all or nothing and says when the window ends", async () => {
    const store = createMemoryStateStore();
    const counters = [
      { key: "k|rpm", windowMs: 60_000, amount: 1, limit: 2 },
      { key: "t|rpm", windowMs: 60_000, amount: 1, limit: 10 },
    ];
    expect(await store.incrementWindows(counters, 1_000)).toEqual({ ok: true });
    expect(await store.incrementWindows(counters, 2_000)).toEqual({ ok: true });
    expect(await store.incrementWindows(counters, 59_999)).toEqual({ ok: false, key: "k|rpm", retryAfterMs: 1 });
    expect(await store.readWindow("t|rpm", 60_000, 59_999)).toBe(2);
    expect(await store.incrementWindows(counters, 60_000)).toEqual({ ok: true });
  });

  it("treats an amount of 0 as a check that the window is not full", async () => {
    const store = createMemoryStateStore();
    await store.addToWindows([{ key: "k|tpm", windowMs: 60_000, amount: 100 }], 0);
    expect((await store.incrementWindows([{ key: "k|tpm", windowMs: 60_000, amount: 0, limit: 101 }], 10)).ok).toBe(true);
    expect((await store.incrementWindows([{ key: "k|tpm", windowMs: 60_000, amount: 0, limit: 100 }], 10)).ok).toBe(false);
  });

  it("hands out parallel slots up to the maximum, all or nothing", async () => {
    const store = createMemoryStateStore();
    const slots = [
      { key: "k", max: 2 },
      { key: "t", max: 1 },
    ];
    expect(await store.acquireSlots(slots)).toEqual({ ok: true });
    expect(await store.acquireSlots(slots)).toEqual({ ok: false, key: "t" });
    expect(await store.readSlots("k")).toBe(1);
    await store.releaseSlots(["k", "t"]);
    expect(await store.acquireSlots(slots)).toEqual({ ok: true });
  });
});
