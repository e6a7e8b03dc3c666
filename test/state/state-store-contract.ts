import { describe, expect, it } from "vitest";
import type { BudgetLine, StateStore } from "../../src/state/index.js";

/**
 * Two handles on one fresh, empty shared state, as two gateway instances see it. A store that
 * lives in one process gives the same object twice.
 */
export type OpenSharedState = () => Promise<readonly [StateStore, StateStore]>;

/** The behaviour every StateStore implementation must show; each implementation's test file calls this. */
export function describeStateStoreContract(name: string, open: OpenSharedState): void {
  describe(`${name}: the StateStore contract`, () => {
    it("reserves on every budget line or on none", async () => {
      const [store] = await open();
      await seedZero(store, ["key:a", "team:t"], "daily:x");
      const lines = (amountPico: bigint) => [
        { scope: "key:a", period: "daily:x", limitPico: 100n, amountPico },
        { scope: "team:t", period: "daily:x", limitPico: 50n, amountPico },
      ];
      const first = await store.reserveBudget(lines(40n));
      expect(first.ok).toBe(true);
      const second = await store.reserveBudget(lines(20n));
      expect(second).toMatchObject({ ok: false, scope: "team:t", limitPico: 50n, spentPico: 0n, reservedPico: 40n });
      expect(await store.readBudget("key:a", "daily:x")).toEqual({ spentPico: 0n, reservedPico: 40n, seeded: true });

      await store.settleBudget(first.ok ? first.reservationId : "", 15n);
      await store.settleBudget(first.ok ? first.reservationId : "", 15n);
      expect(await store.readBudget("key:a", "daily:x")).toEqual({ spentPico: 15n, reservedPico: 0n, seeded: true });
      expect(await store.readBudget("team:t", "daily:x")).toEqual({ spentPico: 15n, reservedPico: 0n, seeded: true });
      expect((await store.reserveBudget(lines(35n))).ok).toBe(true);
    });

    it("ignores a settle of an unknown reservation", async () => {
      const [store] = await open();
      await seedZero(store, ["key:u"], "lifetime");
      const reserved = await store.reserveBudget([{ scope: "key:u", period: "lifetime", limitPico: 10n, amountPico: 4n }]);
      await store.settleBudget("no-such-reservation", 7n);
      expect(await store.readBudget("key:u", "lifetime")).toEqual({ spentPico: 0n, reservedPico: 4n, seeded: true });
      await store.settleBudget(reserved.ok ? reserved.reservationId : "", 0n);
      expect(await store.readBudget("key:u", "lifetime")).toEqual({ spentPico: 0n, reservedPico: 0n, seeded: true });
    });

    it("starts a new period from zero and seeds only what it does not hold", async () => {
      const [store] = await open();
      await store.seedBudget("key:a", "daily:1", 90n);
      await store.seedBudget("key:a", "daily:1", 0n);
      expect(await store.readBudget("key:a", "daily:1")).toEqual({ spentPico: 90n, reservedPico: 0n, seeded: true });
      expect((await store.reserveBudget([{ scope: "key:a", period: "daily:1", limitPico: 100n, amountPico: 20n }])).ok).toBe(false);
      const nextLine = [{ scope: "key:a", period: "daily:2", limitPico: 100n, amountPico: 20n }];
      expect(await store.reserveBudget(nextLine)).toEqual({ ok: false, reason: "unseeded", scopes: ["key:a"] });
      await store.seedBudget("key:a", "daily:2", 0n);
      expect((await store.reserveBudget(nextLine)).ok).toBe(true);
      expect(await store.readBudget("key:a", "daily:1")).toEqual({ spentPico: 0n, reservedPico: 0n, seeded: false });
      expect(await store.readBudget("key:a", "daily:2")).toEqual({ spentPico: 0n, reservedPico: 20n, seeded: true });
    });

    it("settles nothing into a period that began after the reservation", async () => {
      const [store] = await open();
      await seedZero(store, ["key:p"], "daily:1");
      const old = await store.reserveBudget([{ scope: "key:p", period: "daily:1", limitPico: 100n, amountPico: 30n }]);
      await store.seedBudget("key:p", "daily:2", 5n);
      await store.settleBudget(old.ok ? old.reservationId : "", 30n);
      expect(await store.readBudget("key:p", "daily:2")).toEqual({ spentPico: 5n, reservedPico: 0n, seeded: true });
    });

    it("keeps pico-USD exact at $1,000,000 (1e18) and past 2^64", async () => {
      const [store] = await open();
      const million = 10n ** 18n;
      const line = (scope: string, limitPico: bigint, amountPico: bigint): BudgetLine[] => [{ scope, period: "lifetime", limitPico, amountPico }];

      await store.seedBudget("key:m", "lifetime", million - 10n);
      const first = await store.reserveBudget(line("key:m", million, 7n));
      expect(first.ok).toBe(true);
      expect(await store.reserveBudget(line("key:m", million, 4n))).toMatchObject({ ok: false, spentPico: million - 10n, reservedPico: 7n });
      const second = await store.reserveBudget(line("key:m", million, 3n));
      expect(second.ok).toBe(true);
      expect(await store.readBudget("key:m", "lifetime")).toEqual({ spentPico: million - 10n, reservedPico: 10n, seeded: true });
      await store.settleBudget(first.ok ? first.reservationId : "", 5n);
      await store.settleBudget(second.ok ? second.reservationId : "", 3n);
      expect(await store.readBudget("key:m", "lifetime")).toEqual({ spentPico: million - 2n, reservedPico: 0n, seeded: true });

      // One pico short of $1,000,000 in one reservation, then the last pico: a double would round both.
      await seedZero(store, ["key:w"], "lifetime");
      const whole = await store.reserveBudget(line("key:w", million, million - 1n));
      expect(whole.ok).toBe(true);
      expect((await store.reserveBudget(line("key:w", million, 2n))).ok).toBe(false);
      expect((await store.reserveBudget(line("key:w", million, 1n))).ok).toBe(true);
      await store.settleBudget(whole.ok ? whole.reservationId : "", 999_999_999_999_999_989n);
      expect(await store.readBudget("key:w", "lifetime")).toEqual({ spentPico: 999_999_999_999_999_989n, reservedPico: 1n, seeded: true });

      // Past what a signed 64-bit integer holds.
      const huge = 2n ** 64n + 123n;
      await store.seedBudget("team:h", "lifetime", 2n ** 63n - 1n);
      const big = await store.reserveBudget(line("team:h", huge, 2n ** 63n + 124n));
      expect(big.ok).toBe(true);
      expect(await store.reserveBudget(line("team:h", huge, 1n))).toMatchObject({ ok: false, spentPico: 2n ** 63n - 1n, reservedPico: 2n ** 63n + 124n });
      await store.settleBudget(big.ok ? big.reservationId : "", 2n ** 63n + 1n);
      expect(await store.readBudget("team:h", "lifetime")).toEqual({ spentPico: 2n ** 64n, reservedPico: 0n, seeded: true });
    });

    it("never overspends one budget under 500 concurrent reserves from two instances; settles add up to the spend", async () => {
      const [a, b] = await open();
      await seedZero(a, ["key:held", "key:churn", "team:shared"], "daily:c");
      const amount = 123_456_789_012_345n;
      const limit = amount * 100n + amount / 2n;
      const lines = (scope: string): BudgetLine[] => [
        { scope, period: "daily:c", limitPico: limit, amountPico: amount },
        { scope: "team:shared", period: "daily:c", limitPico: limit * 20n, amountPico: amount },
      ];

      // Every reservation held at once: exactly as many fit as the limit allows.
      const held = await Promise.all(Array.from({ length: 500 }, (_, i) => (i % 2 === 0 ? a : b).reserveBudget(lines("key:held"))));
      const admitted = held.flatMap((outcome) => (outcome.ok ? [outcome.reservationId] : []));
      expect(admitted).toHaveLength(100);
      expect(await b.readBudget("key:held", "daily:c")).toEqual({ spentPico: 0n, reservedPico: amount * 100n, seeded: true });
      let settledSum = 0n;
      await Promise.all(
        admitted.map((id, i) => {
          const actual = amount - BigInt(i * 7919);
          settledSum += actual;
          return (i % 2 === 0 ? b : a).settleBudget(id, actual);
        }),
      );
      expect(await a.readBudget("key:held", "daily:c")).toEqual({ spentPico: settledSum, reservedPico: 0n, seeded: true });

      // Reserve, then settle at once: whatever order the calls interleave in, the spend stays within the limit.
      let spentSum = 0n;
      const outcomes = await Promise.all(
        Array.from({ length: 500 }, async (_, i) => {
          const store = i % 2 === 0 ? a : b;
          const reserved = await store.reserveBudget(lines("key:churn"));
          if (!reserved.ok) return false;
          const actual = amount - BigInt((i * 104_729) % 1_000_000);
          spentSum += actual;
          await (i % 3 === 0 ? a : b).settleBudget(reserved.reservationId, actual);
          return true;
        }),
      );
      const churn = await a.readBudget("key:churn", "daily:c");
      expect(churn).toEqual({ spentPico: spentSum, reservedPico: 0n, seeded: true });
      expect(churn.spentPico).toBeLessThanOrEqual(limit);
      expect(outcomes.filter(Boolean).length).toBeGreaterThanOrEqual(100);
      expect(await b.readBudget("team:shared", "daily:c")).toEqual({ spentPico: settledSum + spentSum, reservedPico: 0n, seeded: true });
    });

    it("reserves nothing on a budget it does not hold seeded, and names every such line", async () => {
      const [store, other] = await open();
      await store.seedBudget("key:s", "daily:1", 7n);
      const lines = (period: string): BudgetLine[] => [
        { scope: "key:s", period, limitPico: 100n, amountPico: 10n },
        { scope: "team:s", period, limitPico: 100n, amountPico: 10n },
      ];
      expect(await other.reserveBudget(lines("daily:1"))).toEqual({ ok: false, reason: "unseeded", scopes: ["team:s"] });
      expect(await other.reserveBudget(lines("daily:2"))).toEqual({ ok: false, reason: "unseeded", scopes: ["key:s", "team:s"] });
      expect(await store.readBudget("key:s", "daily:1")).toEqual({ spentPico: 7n, reservedPico: 0n, seeded: true });
      expect(await store.readBudget("team:s", "daily:1")).toEqual({ spentPico: 0n, reservedPico: 0n, seeded: false });
      await other.seedBudget("team:s", "daily:1", 95n);
      expect(await store.reserveBudget(lines("daily:1"))).toMatchObject({ ok: false, reason: "limit", scope: "team:s", spentPico: 95n });
    });

    it("counts fixed windows all or nothing and says when the window ends", async () => {
      const [store] = await open();
      const counters = [
        { key: "k|rpm", windowMs: 60_000, amount: 1, limit: 2 },
        { key: "t|rpm", windowMs: 60_000, amount: 1, limit: 10 },
      ];
      expect(await store.incrementWindows(counters, 1_000)).toEqual({ ok: true });
      expect(await store.incrementWindows(counters, 2_000)).toEqual({ ok: true });
      expect(await store.incrementWindows(counters, 59_999)).toEqual({ ok: false, key: "k|rpm", retryAfterMs: 1 });
      expect(await store.readWindow("t|rpm", 60_000, 59_999)).toBe(2);
      expect(await store.incrementWindows(counters, 60_000)).toEqual({ ok: true });
      expect(await store.readWindow("t|rpm", 60_000, 60_000)).toBe(1);
    });

    it("treats an amount of 0 as a check that the window is not full", async () => {
      const [store] = await open();
      await store.addToWindows([{ key: "k|tpm", windowMs: 60_000, amount: 100 }], 0);
      expect((await store.incrementWindows([{ key: "k|tpm", windowMs: 60_000, amount: 0, limit: 101 }], 10)).ok).toBe(true);
      expect((await store.incrementWindows([{ key: "k|tpm", windowMs: 60_000, amount: 0, limit: 100 }], 10)).ok).toBe(false);
      expect(await store.readWindow("k|tpm", 60_000, 10)).toBe(100);
    });

    it("hands out parallel slots up to the maximum, all or nothing", async () => {
      const [store] = await open();
      const slots = [
        { key: "k", max: 2 },
        { key: "t", max: 1 },
      ];
      expect(await store.acquireSlots(slots)).toEqual({ ok: true });
      expect(await store.acquireSlots(slots)).toEqual({ ok: false, key: "t" });
      expect(await store.readSlots("k")).toBe(1);
      await store.releaseSlots(["k", "t"]);
      expect(await store.readSlots("k")).toBe(0);
      expect(await store.acquireSlots(slots)).toEqual({ ok: true });
    });

    it("holds window and slot limits under concurrent calls from two instances", async () => {
      const [a, b] = await open();
      const now = 7_000;
      const windows = await Promise.all(
        Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? a : b).incrementWindows([{ key: "c|rpm", windowMs: 60_000, amount: 1, limit: 50 }], now)),
      );
      expect(windows.filter((w) => w.ok)).toHaveLength(50);
      expect(await b.readWindow("c|rpm", 60_000, now)).toBe(50);

      const stores = Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? a : b));
      const slots = await Promise.all(stores.map((store) => store.acquireSlots([{ key: "c|parallel", max: 10 }])));
      expect(slots.filter((s) => s.ok)).toHaveLength(10);
      expect(await a.readSlots("c|parallel")).toBe(10);
      await Promise.all(stores.flatMap((store, i) => (slots[i]!.ok ? [store.releaseSlots(["c|parallel"])] : [])));
      expect(await b.readSlots("c|parallel")).toBe(0);
    });
  });
}

/** Budgets start seeded at zero, as governance seeds a window with no calls in the log. */
async function seedZero(store: StateStore, scopes: readonly string[], period: string): Promise<void> {
  for (const scope of scopes) await store.seedBudget(scope, period, 0n);
}
