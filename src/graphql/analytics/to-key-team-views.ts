import { usdStringToPico } from "../../accounting/index.js";
import type { KeySummary, TeamSummary } from "../../db/key-team-reads.js";
import type { Budget, BudgetOwner, BudgetPeriod } from "../../governance/index.js";
import { type BudgetView, TeamView, VirtualKeyView } from "../governance/governance.type.js";
import { toBudgetSetting, toBudgetView } from "../governance/to-governance-view.js";
import type { GovernanceServices } from "../services.js";

/**
 * Views built from batch-loaded rows leave `team` and `budget` undefined: the field resolvers
 * fill them only when asked (the team through a DataLoader), so listing keys costs no extra query.
 */
const pendingBudgets = new WeakMap<object, { owner: BudgetOwner; budget: Budget | null }>();

const budgetOf = (usd: string | null, period: string | null): Budget | null =>
  usd === null ? null : { limitPico: usdStringToPico(usd), period: (period ?? "lifetime") as BudgetPeriod };

export function keySummaryToView(row: KeySummary, now: Date): VirtualKeyView {
  const endUserBudget = budgetOf(row.endUserBudgetUsd, row.endUserBudgetPeriod);
  const view = Object.assign(new VirtualKeyView(), {
    id: row.id,
    name: row.name,
    keyPrefix: row.keyPrefix,
    teamId: row.teamId,
    allowedModels: row.allowedModels,
    endUserBudget: toBudgetSetting(endUserBudget),
    rpm: row.rpm,
    tpm: row.tpm,
    maxParallel: row.maxParallel,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    active: row.revokedAt === null && (row.expiresAt === null || row.expiresAt > now),
    tags: row.tags,
    safelistOnly: row.safelistOnly,
    metadata: row.metadata ?? null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  });
  pendingBudgets.set(view, { owner: { keyId: row.id }, budget: budgetOf(row.budgetUsd, row.budgetPeriod) });
  return view;
}

export function teamSummaryToView(row: TeamSummary): TeamView {
  const view = Object.assign(new TeamView(), {
    id: row.id,
    name: row.name,
    rpm: row.rpm,
    tpm: row.tpm,
    maxParallel: row.maxParallel,
    metadata: row.metadata ?? null,
    createdAt: row.createdAt,
  });
  pendingBudgets.set(view, { owner: { teamId: row.id }, budget: budgetOf(row.budgetUsd, row.budgetPeriod) });
  return view;
}

/** The budget of a view: as the governance resolvers computed it, or now for a batch-loaded one. */
export async function budgetViewOf(services: GovernanceServices, view: VirtualKeyView | TeamView): Promise<BudgetView | null> {
  if (view.budget !== undefined) return view.budget;
  const pending = pendingBudgets.get(view);
  if (!pending?.budget) return null;
  return toBudgetView(services, pending.owner, pending.budget);
}
