import { picoToUsdNumber, picoToUsdString, usdStringToPico } from "../../accounting/index.js";
import { badInput } from "../../core/index.js";
import type { Budget, BudgetOwner, BudgetPeriod, KeySpec, Team, VirtualKey } from "../../governance/index.js";
import type { GovernanceServices } from "../services.js";
import type { BudgetInput, VirtualKeyInput } from "./governance.input.js";
import { BudgetPeriodEnum, BudgetSetting, BudgetView, TeamView, VirtualKeyView } from "./governance.type.js";

/** A USD amount from GraphQL (a Float) → exact pico-USD, refusing what no budget can be. */
export function toBudget(field: string, input: BudgetInput | null | undefined): Budget | null | undefined {
  if (input === undefined) return undefined;
  if (input === null) return null;
  if (!Number.isFinite(input.limitUsd) || input.limitUsd < 0) throw badInput(`${field}.limitUsd: must be a number ≥ 0`, { field: `${field}.limitUsd` });
  return { limitPico: usdStringToPico(input.limitUsd.toFixed(12)), period: input.period as BudgetPeriod };
}

/** GraphQL input → what the key admin takes; undefined fields stay as they are, null clears. */
export function toKeySpec(input: VirtualKeyInput): KeySpec {
  const spec: KeySpec = {};
  if (input.name !== undefined) spec.name = input.name;
  if (input.teamId !== undefined) spec.teamId = input.teamId;
  if (input.allowedModels !== undefined) spec.allowedModels = input.allowedModels ?? [];
  const budget = toBudget("budget", input.budget);
  if (budget !== undefined) spec.budget = budget;
  const endUserBudget = toBudget("endUserBudget", input.endUserBudget);
  if (endUserBudget !== undefined) spec.endUserBudget = endUserBudget;
  if (input.rpm !== undefined) spec.rpm = input.rpm;
  if (input.tpm !== undefined) spec.tpm = input.tpm;
  if (input.maxParallel !== undefined) spec.maxParallel = input.maxParallel;
  if (input.expiresAt !== undefined) spec.expiresAt = input.expiresAt;
  if (input.tags !== undefined) spec.tags = input.tags ?? [];
  if (input.safelistOnly !== undefined) spec.safelistOnly = input.safelistOnly ?? false;
  if (input.metadata !== undefined) spec.metadata = input.metadata;
  return spec;
}

/** A budget's limit and period alone (no spend: per end user, each user has their own window). */
export function toBudgetSetting(budget: Budget | null): BudgetSetting | null {
  return budget ? Object.assign(new BudgetSetting(), { limitUsd: picoToUsdNumber(budget.limitPico), period: budget.period as BudgetPeriodEnum }) : null;
}

/** A budget with what its current window has spent and holds reserved (one budget-state read). */
export async function toBudgetView(services: GovernanceServices, owner: BudgetOwner, budget: Budget | null): Promise<BudgetView | null> {
  if (!budget) return null;
  const state = await services.budgetState(owner, budget);
  return Object.assign(new BudgetView(), {
    limitUsd: picoToUsdNumber(budget.limitPico),
    limitUsdExact: picoToUsdString(budget.limitPico),
    period: budget.period as BudgetPeriodEnum,
    spentUsd: picoToUsdNumber(state.spentPico),
    spentUsdExact: picoToUsdString(state.spentPico),
    reservedUsd: picoToUsdNumber(state.reservedPico),
    remainingUsd: picoToUsdNumber(budget.limitPico - state.spentPico - state.reservedPico),
    periodStart: state.windowStart,
    periodEnd: state.windowEnd,
  });
}

export async function toTeamView(services: GovernanceServices, team: Team): Promise<TeamView> {
  return Object.assign(new TeamView(), {
    id: team.id,
    name: team.name,
    budget: await toBudgetView(services, { teamId: team.id }, team.budget),
    rpm: team.rpm,
    tpm: team.tpm,
    maxParallel: team.maxParallel,
    metadata: team.metadata,
    createdAt: team.createdAt,
  });
}

/** Never the hash: a key's view carries its prefix only. */
export async function toVirtualKeyView(services: GovernanceServices, key: VirtualKey, now = new Date()): Promise<VirtualKeyView> {
  const team = key.teamId ? services.directory.team(key.teamId) : undefined;
  return Object.assign(new VirtualKeyView(), {
    id: key.id,
    name: key.name,
    keyPrefix: key.keyPrefix,
    teamId: key.teamId,
    team: team ? await toTeamView(services, team) : null,
    allowedModels: key.allowedModels,
    budget: await toBudgetView(services, { keyId: key.id }, key.budget),
    endUserBudget: toBudgetSetting(key.endUserBudget),
    rpm: key.rpm,
    tpm: key.tpm,
    maxParallel: key.maxParallel,
    expiresAt: key.expiresAt,
    revokedAt: key.revokedAt,
    active: key.revokedAt === null && (key.expiresAt === null || key.expiresAt > now),
    tags: key.tags,
    safelistOnly: key.safelistOnly,
    metadata: key.metadata,
    createdAt: key.createdAt,
    updatedAt: key.updatedAt,
  });
}
