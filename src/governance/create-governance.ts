import { picoToUsdNumber } from "../accounting/index.js";
import { GatewayError } from "../core/index.js";
import type { CallTicket, CompletionCommand, CompletionGovernance } from "../gateway/completion-types.js";
import type { BudgetLine, ReserveOutcome, StateStore, WindowCounter } from "../state/index.js";
import { budgetWindow } from "./budget-window.js";
import type { Budget, GovernanceRepository, SpendOwner, Team, VirtualKey } from "./governance-types.js";
import type { KeyDirectory } from "./create-key-directory.js";
import type { WorstCaseCost } from "./create-worst-case-cost.js";
import { matchesAnyGlob } from "./match-model-glob.js";
import type { Principal } from "./principal.js";

export interface GovernanceOptions {
  directory: KeyDirectory;
  store: StateStore;
  repository: Pick<GovernanceRepository, "spentSince">;
  worstCaseCost: WorstCaseCost;
  /** A model group's name for a requested name or alias; undefined when unknown. */
  resolveModel(model: string): string | undefined;
  now?: () => Date;
  /** Where failures of the state store after a call go (the call itself is already answered). */
  onError?: (error: unknown) => void;
}

export interface Governance extends CompletionGovernance {
  /** A budget's current window: what was spent and what is reserved. */
  budgetState(owner: BudgetOwner, budget: Budget): Promise<{ spentPico: bigint; reservedPico: bigint; windowStart: Date; windowEnd: Date | null }>;
  /** Budget windows being seeded from the call log right now; nothing is kept once a seed ended, so this stays bounded. */
  seedsInFlight(): number;
}

export type BudgetOwner = { keyId: string } | { teamId: string };

const MINUTE_MS = 60_000;
/** A full semaphore frees up when some call ends; there is no better hint than "soon". */
const PARALLEL_RETRY_AFTER_MS = 1_000;
/** Seed-and-reserve rounds before giving up on a store that forgets each seed at once (then UNAVAILABLE, retry in 1 s). */
const MAX_SEED_ROUNDS = 3;
const RESEED_RETRY_AFTER_MS = 1_000;
const UNSEEDED_MESSAGE = "The shared state store keeps losing budget data, so budgets cannot be checked; retry shortly";

/** One budget a call is charged to. */
interface BudgetUse {
  owner: SpendOwner;
  scope: string;
  budget: Budget;
  /** Named in the refusal: "key", "team" or "user". */
  what: string;
}

/**
 * The governance hook around every call: scope → parallel slots → RPM/TPM → budget reservation
 * (worst case) before routing; after the call, the ticket settles the budget to the actual cost,
 * adds the tokens to TPM and frees the slot. Every step is one atomic StateStore operation.
 */
export function createGovernance(options: GovernanceOptions): Governance {
  const { directory, store, repository } = options;
  const now = options.now ?? (() => new Date());
  /** Seeds in flight, so that concurrent calls needing one window share one call-log query; emptied as they end. */
  const seeding = new Map<string, Promise<void>>();

  const scopeOf = (owner: BudgetOwner | { keyId: string; endUser: string }): string =>
    "teamId" in owner ? `team:${owner.teamId}` : "endUser" in owner ? `user:${owner.keyId}:${owner.endUser}` : `key:${owner.keyId}`;

  /**
   * A budget window the store does not hold seeded (first use, a new period, or a store that forgot it)
   * starts from what the call log holds for it. The store says when (`reserveBudget`, `readBudget`), so a
   * Redis restarted empty is re-seeded on the next call, not only at process start.
   */
  function seed(owner: SpendOwner, scope: string, budget: Budget, at: Date): Promise<void> {
    const window = budgetWindow(budget.period, at);
    const id = `${scope}|${window.id}`;
    let pending = seeding.get(id);
    if (!pending) {
      pending = repository
        .spentSince(owner, window.start)
        .then((spent) => store.seedBudget(scope, window.id, spent))
        .finally(() => seeding.delete(id));
      seeding.set(id, pending);
    }
    return pending;
  }

  /** Reserves on every line; lines the store reports unseeded are seeded from the call log, then tried again. */
  async function reserve(owners: readonly BudgetUse[], lines: readonly BudgetLine[], at: Date): Promise<Exclude<ReserveOutcome, { reason: "unseeded" }>> {
    for (let attempt = 0; ; attempt++) {
      const outcome = await store.reserveBudget(lines);
      if (outcome.ok || outcome.reason !== "unseeded") return outcome;
      // Seeded a moment ago and gone again: the store keeps losing its data, so budgets cannot be checked.
      if (attempt === MAX_SEED_ROUNDS) throw new GatewayError("UNAVAILABLE", UNSEEDED_MESSAGE, { retryAfterMs: RESEED_RETRY_AFTER_MS });
      await Promise.all(owners.filter((o) => outcome.scopes.includes(o.scope)).map((o) => seed(o.owner, o.scope, o.budget, at)));
    }
  }

  /** Undefined at once when the caller is not a key (the master key, open dev mode): no async layer for nothing. */
  function admit(command: CompletionCommand, promptTokens: number): Promise<CallTicket | undefined> | undefined {
    const principal = command.principal;
    if (!principal || principal.kind !== "key") return undefined;
    return admitKey(command, principal, promptTokens);
  }

  async function admitKey(command: CompletionCommand, principal: Extract<Principal, { kind: "key" }>, promptTokens: number): Promise<CallTicket | undefined> {
    directory.recheck(principal);
    const key = directory.key(principal.keyId)!;
    const team = key.teamId ? directory.team(key.teamId) : undefined;
    const model = command.request.model;
    const group = options.resolveModel(model);
    if (group !== undefined && !matchesAnyGlob(key.allowedModels, [model, group])) {
      throw new GatewayError("FORBIDDEN", `This key may not use model "${model}"`, { model });
    }
    // Fallbacks named in the request are models the call may reach: the key must be allowed them too.
    const requestFallbacks = command.routing?.fallbacks ?? [];
    for (const name of requestFallbacks) {
      const fallback = options.resolveModel(name);
      if (fallback !== undefined && !matchesAnyGlob(key.allowedModels, [name, fallback])) {
        throw new GatewayError("FORBIDDEN", `This key may not use model "${name}" (routing.fallbacks)`, { model: name });
      }
    }

    const at = now();
    const slotKeys = limitedSlots(key, team);
    if (slotKeys.length > 0) {
      const slots = await store.acquireSlots(slotKeys);
      if (!slots.ok) throw rateLimited(slots.key.startsWith("team:") ? "team" : "key", "parallel requests", PARALLEL_RETRY_AFTER_MS);
    }
    const releaseSlots = () => (slotKeys.length > 0 ? store.releaseSlots(slotKeys.map((s) => s.key)) : Promise.resolve());
    try {
      const counters = rateCounters(key, team);
      if (counters.length > 0) {
        const outcome = await store.incrementWindows(counters, at.getTime());
        if (!outcome.ok) {
          const [owner, kind] = outcome.key.split("|") as [string, string];
          throw rateLimited(owner.startsWith("team:") ? "team" : "key", kind === "rpm" ? "requests per minute" : "tokens per minute", outcome.retryAfterMs);
        }
      }

      const owners: BudgetUse[] = [];
      if (key.budget) owners.push({ owner: { keyId: key.id }, scope: scopeOf({ keyId: key.id }), budget: key.budget, what: "key" });
      if (team?.budget) owners.push({ owner: { teamId: team.id }, scope: scopeOf({ teamId: team.id }), budget: team.budget, what: "team" });
      const endUser = command.request.user;
      if (key.endUserBudget && endUser) {
        owners.push({ owner: { keyId: key.id, endUser }, scope: scopeOf({ keyId: key.id, endUser }), budget: key.endUserBudget, what: "user" });
      }
      const worst = owners.length > 0 ? options.worstCaseCost(model, promptTokens, command.request.maxTokens, requestFallbacks) : undefined;
      let reservationId: string | undefined;
      if (worst !== undefined) {
        const lines: BudgetLine[] = owners.map((o) => ({ scope: o.scope, period: budgetWindow(o.budget.period, at).id, limitPico: o.budget.limitPico, amountPico: worst }));
        const reserved = await reserve(owners, lines, at);
        if (!reserved.ok) {
          const what = owners.find((o) => o.scope === reserved.scope)?.what ?? "key";
          throw new GatewayError("BUDGET_EXCEEDED", `The ${what} budget does not cover this call`, {
            budget: what,
            budgetUsd: picoToUsdNumber(reserved.limitPico),
            spentUsd: picoToUsdNumber(reserved.spentPico),
            worstCaseCostUsd: picoToUsdNumber(worst),
          });
        }
        reservationId = reserved.reservationId;
      }

      let settled = false;
      const tokenWindows = [key.tpm !== null ? `key:${key.id}|tpm` : undefined, team?.tpm != null ? `team:${team.id}|tpm` : undefined].filter((k) => k !== undefined);
      return {
        budgeted: owners.length > 0,
        settle({ costPico, tokens }) {
          if (settled) return;
          settled = true;
          const work = [
            reservationId === undefined ? undefined : store.settleBudget(reservationId, costPico),
            tokenWindows.length > 0 && tokens > 0 ? store.addToWindows(tokenWindows.map((k) => ({ key: k, windowMs: MINUTE_MS, amount: tokens })), now().getTime()) : undefined,
            releaseSlots(),
          ];
          Promise.all(work).catch((error: unknown) => options.onError?.(error));
        },
      };
    } catch (error) {
      await releaseSlots();
      throw error;
    }
  }

  return {
    admit,
    seedsInFlight: () => seeding.size,
    async budgetState(owner, budget) {
      const at = now();
      const window = budgetWindow(budget.period, at);
      const scope = scopeOf(owner);
      let state = await store.readBudget(scope, window.id);
      if (!state.seeded) {
        await seed(owner, scope, budget, at);
        state = await store.readBudget(scope, window.id);
      }
      return { spentPico: state.spentPico, reservedPico: state.reservedPico, windowStart: window.start, windowEnd: window.end };
    },
  };
}

function limitedSlots(key: VirtualKey, team: Team | undefined) {
  const slots: Array<{ key: string; max: number }> = [];
  if (key.maxParallel !== null) slots.push({ key: `key:${key.id}|parallel`, max: key.maxParallel });
  if (team?.maxParallel != null) slots.push({ key: `team:${team.id}|parallel`, max: team.maxParallel });
  return slots;
}

function rateCounters(key: VirtualKey, team: Team | undefined): WindowCounter[] {
  const counters: WindowCounter[] = [];
  if (key.rpm !== null) counters.push({ key: `key:${key.id}|rpm`, windowMs: MINUTE_MS, amount: 1, limit: key.rpm });
  if (key.tpm !== null) counters.push({ key: `key:${key.id}|tpm`, windowMs: MINUTE_MS, amount: 0, limit: key.tpm });
  if (team?.rpm != null) counters.push({ key: `team:${team.id}|rpm`, windowMs: MINUTE_MS, amount: 1, limit: team.rpm });
  if (team?.tpm != null) counters.push({ key: `team:${team.id}|tpm`, windowMs: MINUTE_MS, amount: 0, limit: team.tpm });
  return counters;
}

function rateLimited(owner: "key" | "team", what: string, retryAfterMs: number): GatewayError {
  return new GatewayError("RATE_LIMITED", `The ${owner}'s limit of ${what} is reached`, { retryAfterMs, limit: what, scope: owner });
}
