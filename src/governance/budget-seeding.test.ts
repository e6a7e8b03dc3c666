import { describe, expect, it } from "vitest";
import type { CompletionCommand } from "../gateway/completion-types.js";
import { createMemoryStateStore, type StateStore } from "../state/index.js";
import type { KeyDirectory } from "./create-key-directory.js";
import { createGovernance } from "./create-governance.js";
import { makeVirtualKey } from "./testing/make-virtual-key.js";
import { outcomeCode } from "./testing/outcome-code.js";
import type { SpendOwner, VirtualKey } from "./governance-types.js";

const DAY_MS = 86_400_000;

const baseKey: VirtualKey = makeVirtualKey();

/** A state store that can forget everything at once, as a Redis without persistence does on a restart. */
function forgetfulStore() {
  let current = createMemoryStateStore();
  let forgetsEverySeed = false;
  const store = new Proxy({} as StateStore, {
    get: (_target, name: keyof StateStore) => (name === "seedBudget" && forgetsEverySeed ? async () => undefined : current[name].bind(current)),
  });
  return { store, forget: () => (current = createMemoryStateStore()), forgetEverySeed: () => (forgetsEverySeed = true) };
}

function setup(spent: (owner: SpendOwner, since: Date) => bigint, limitPico = 10_000n) {
  const key = { ...baseKey, budget: { limitPico, period: "daily" as const }, endUserBudget: { limitPico, period: "daily" as const } };
  let nowMs = Date.UTC(2026, 10, 24, 12);
  const queries: Array<{ owner: SpendOwner; since: Date; inFlight: number }> = [];
  const { store, forget, forgetEverySeed } = forgetfulStore();
  const governance = createGovernance({
    directory: { recheck: () => undefined, key: (id: string) => (id === key.id ? key : undefined), team: () => undefined } as unknown as KeyDirectory,
    store,
    repository: {
      spentSince: async (owner, since) => {
        queries.push({ owner, since, inFlight: governance.seedsInFlight() });
        await new Promise((resolve) => setImmediate(resolve));
        return spent(owner, since);
      },
    },
    worstCaseCost: () => 1_000n,
    resolveModel: (model) => model,
    now: () => new Date(nowMs),
  });
  const command = (user?: string): CompletionCommand => ({
    request: { model: "fast", messages: [{ role: "user", content: "hi" }], ...(user ? { user } : {}) },
    principal: { kind: "key", keyId: key.id, teamId: null },
  });
  return { governance, command, queries, forget, forgetEverySeed, key, advance: (ms: number) => (nowMs += ms) };
}

describe("budget seeding", () => {
  it("seeds again from the call log when the store forgot a window this process already seeded", async () => {
    let logged = 0n;
    const { governance, command, forget, key } = setup((owner) => ("endUser" in owner ? 0n : logged));
    const ticket = await governance.admit(command(), 10);
    ticket!.settle({ costPico: 9_500n, tokens: 1 });
    logged = 9_500n; // the call log caught up
    expect(await outcomeCode(governance.admit(command(), 10))).toBe("BUDGET_EXCEEDED");

    forget();
    expect(await outcomeCode(governance.admit(command(), 10))).toBe("BUDGET_EXCEEDED");
    expect((await governance.budgetState({ keyId: key.id }, key.budget!)).spentPico).toBe(9_500n);
    forget();
    expect((await governance.budgetState({ keyId: key.id }, key.budget!)).spentPico).toBe(9_500n);
  });

  it("shares one call-log query among concurrent calls that need the same window", async () => {
    const { governance, command, queries } = setup(() => 0n, 10n ** 15n);
    await Promise.all(Array.from({ length: 50 }, () => governance.admit(command("same-user"), 10)));
    expect(queries.filter((q) => "endUser" in q.owner)).toHaveLength(1);
    expect(queries.filter((q) => !("endUser" in q.owner))).toHaveLength(1);
  });

  it("keeps nothing per scope and period once seeded: 1,000 end users over 30 days leave no entries", async () => {
    const { governance, command, queries, advance } = setup(() => 0n, 10n ** 15n);
    for (let day = 0; day < 30; day++) {
      const admits = Array.from({ length: 1_000 / 30 + 1 }, (_, i) => governance.admit(command(`user-${day}-${i}`), 10));
      for (const ticket of await Promise.all(admits)) ticket!.settle({ costPico: 1n, tokens: 1 });
      expect(governance.seedsInFlight()).toBe(0);
      advance(DAY_MS);
    }
    const peak = Math.max(...queries.map((q) => q.inFlight));
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(1_000 / 30 + 2);
    // One query per end user and day, one per key and day: nothing seeded twice while the store held it.
    expect(queries).toHaveLength(30 * (Math.floor(1_000 / 30) + 1) + 30);
  });

  it("gives up with UNAVAILABLE, not a free pass, when the store loses every seed at once", async () => {
    const { governance, command, forgetEverySeed, queries } = setup(() => 0n, 10n ** 15n);
    forgetEverySeed();
    expect(await outcomeCode(governance.admit(command(), 10))).toBe("UNAVAILABLE");
    expect(queries.length).toBe(3);
    expect(governance.seedsInFlight()).toBe(0);
  });
});
