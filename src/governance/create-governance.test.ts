import { describe, expect, it } from "vitest";
import { GatewayError } from "../core/index.js";
import type { CompletionCommand } from "../gateway/completion-types.js";
import { createMemoryStateStore } from "../state/index.js";
import type { KeyDirectory } from "./create-key-directory.js";
import { createGovernance } from "./create-governance.js";
import { makeVirtualKey } from "./testing/make-virtual-key.js";
import { outcomeCode } from "./testing/outcome-code.js";
import type { Team, VirtualKey } from "./governance-types.js";

const baseKey: VirtualKey = makeVirtualKey();

function setup(key: Partial<VirtualKey>, options: { spent?: bigint; team?: Team } = {}) {
  let nowMs = Date.UTC(2026, 10, 24, 12, 0, 0);
  const fullKey = { ...baseKey, ...key };
  const directory = {
    openMode: false,
    recheck: () => undefined,
    key: (id: string) => (id === fullKey.id ? fullKey : undefined),
    team: (id: string) => (options.team?.id === id ? options.team : undefined),
  } as unknown as KeyDirectory;
  const governance = createGovernance({
    directory,
    store: createMemoryStateStore(),
    // The fake call log holds `spent` for 24 Nov only.
    repository: { spentSince: async (_owner, since) => (since.getTime() < Date.UTC(2026, 10, 25) ? (options.spent ?? 0n) : 0n) },
    worstCaseCost: (model, promptTokens, maxTokens) => (model === "fast" ? BigInt(promptTokens) * 10n + BigInt(maxTokens ?? 100) * 100n : undefined),
    resolveModel: (model) => (model === "fast" || model === "smart" ? model : model === "alias" ? "fast" : undefined),
    now: () => new Date(nowMs),
  });
  const command = (model = "fast", extra: Partial<CompletionCommand["request"]> = {}): CompletionCommand => ({
    request: { model, messages: [{ role: "user", content: "hi" }], maxTokens: 10, ...extra },
    principal: { kind: "key", keyId: fullKey.id, teamId: fullKey.teamId },
  });
  return { governance, command, advance: (ms: number) => (nowMs += ms), at: (ms: number) => (nowMs = ms), key: fullKey };
}

describe("createGovernance", () => {
  it("lets admins and callers without a key through untouched", async () => {
    const { governance } = setup({ rpm: 0 });
    expect(await governance.admit({ request: { model: "fast", messages: [] }, principal: { kind: "admin", open: false } }, 1)).toBeUndefined();
  });

  it("refuses models outside the key's globs, by group or alias", async () => {
    const { governance, command } = setup({ allowedModels: ["fa?t"] });
    expect(await outcomeCode(governance.admit(command("fast"), 1))).toBe("OK");
    expect(await outcomeCode(governance.admit(command("alias"), 1))).toBe("OK");
    expect(await outcomeCode(governance.admit(command("smart"), 1))).toBe("FORBIDDEN");
    expect(await outcomeCode(governance.admit({ ...command("fast"), routing: { fallbacks: ["smart"] } }, 1))).toBe("FORBIDDEN");
  });

  it("admits exactly RPM requests per minute window and says when the window ends", async () => {
    const { governance, command, at } = setup({ rpm: 10 });
    const windowStart = Date.UTC(2026, 10, 24, 12, 0, 0);
    at(windowStart + 500);
    const outcomes = [];
    for (let i = 0; i < 15; i++) outcomes.push(await outcomeCode(governance.admit(command(), 1)));
    expect(outcomes.filter((o) => o === "OK")).toHaveLength(10);
    at(windowStart + 59_000);
    const refusal = await governance.admit(command(), 1)!.catch((error: GatewayError) => error);
    expect(refusal).toBeInstanceOf(GatewayError);
    expect((refusal as GatewayError).details.retryAfterMs).toBe(1_000);
    at(windowStart + 60_000);
    const next = [];
    for (let i = 0; i < 11; i++) next.push(await outcomeCode(governance.admit(command(), 1)));
    expect(next.filter((o) => o === "OK")).toHaveLength(10);
  });

  it("refuses once the minute's tokens reach TPM, counting the tokens of settled calls", async () => {
    const { governance, command } = setup({ tpm: 100 });
    const ticket = await governance.admit(command(), 1);
    ticket!.settle({ costPico: 0n, tokens: 100 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(await outcomeCode(governance.admit(command(), 1))).toBe("RATE_LIMITED");
  });

  it("reserves the worst case and never lets concurrent calls overshoot", async () => {
    // Worst case 1 × 10 + 10 × 100 = 1010 pico; budget 10_000 → 9 in flight at most.
    const { governance, command } = setup({ budget: { limitPico: 10_000n, period: "daily" } });
    const admitted = await Promise.all(Array.from({ length: 50 }, () => governance.admit(command(), 1)!.catch(() => undefined)));
    const tickets = admitted.filter((t) => t !== undefined);
    expect(tickets).toHaveLength(9);
    for (const ticket of tickets) ticket.settle({ costPico: 500n, tokens: 5 });
    await new Promise((resolve) => setImmediate(resolve));
    const state = await governance.budgetState({ keyId: "k1" }, { limitPico: 10_000n, period: "daily" });
    expect(state).toMatchObject({ spentPico: 4_500n, reservedPico: 0n });
    // 5_500 left: 5 more worst cases fit.
    const more = await Promise.all(Array.from({ length: 10 }, () => governance.admit(command(), 1)!.catch(() => undefined)));
    expect(more.filter((t) => t !== undefined)).toHaveLength(5);
  });

  it("starts from the spend the call log holds, and resets with the period", async () => {
    const { governance, command, advance } = setup({ budget: { limitPico: 2_000n, period: "daily" } }, { spent: 1_500n });
    expect(await outcomeCode(governance.admit(command(), 1))).toBe("BUDGET_EXCEEDED");
    advance(24 * 3_600_000);
    expect(await outcomeCode(governance.admit(command(), 1))).toBe("OK");
    const state = await governance.budgetState({ keyId: "k1" }, { limitPico: 2_000n, period: "daily" });
    expect(state).toMatchObject({ spentPico: 0n, reservedPico: 1_010n });
    expect(state.windowStart.toISOString()).toBe("2026-11-25T00:00:00.000Z");
  });

  it("frees the parallel slot when the call settles", async () => {
    const { governance, command } = setup({ maxParallel: 1 });
    const ticket = await governance.admit(command(), 1);
    expect(await outcomeCode(governance.admit(command(), 1))).toBe("RATE_LIMITED");
    ticket!.settle({ costPico: 0n, tokens: 0 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(await outcomeCode(governance.admit(command(), 1))).toBe("OK");
  });
});
