import { and, asc, eq, gt, isNull, or } from "drizzle-orm";
import { usdStringToPico } from "../accounting/index.js";
import type {
  Budget,
  BudgetPeriod,
  GovernanceRepository,
  NewTeam,
  NewVirtualKey,
  Team,
  TeamChanges,
  VirtualKey,
  VirtualKeyChanges,
} from "../governance/governance-types.js";
import type { DrizzleDb } from "./database.js";
import { picoToUsd } from "./pico-to-usd.js";
import { totalsFromRollups } from "./totals-from-rollups.js";
import { teams, virtualKeys } from "./schema/index.js";

type KeyRow = typeof virtualKeys.$inferSelect;
type TeamRow = typeof teams.$inferSelect;

/** Keys and teams in Postgres, plus the exact spend of recorded calls (to restore budgets after a restart). */
export function createGovernanceRepository(db: DrizzleDb): GovernanceRepository {
  return {
    async insertTeam(team: NewTeam, now: Date) {
      const [row] = await db
        .insert(teams)
        .values({
          id: team.id,
          name: team.name,
          ...budgetColumns(team.budget),
          rpm: team.rpm,
          tpm: team.tpm,
          maxParallel: team.maxParallel,
          metadata: team.metadata,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      return toTeam(row!);
    },

    async listTeams() {
      return (await db.select().from(teams).orderBy(asc(teams.createdAt), asc(teams.id))).map(toTeam);
    },

    async getTeam(id) {
      if (!UUID.test(id)) return null;
      const [row] = await db.select().from(teams).where(eq(teams.id, id)).limit(1);
      return row ? toTeam(row) : null;
    },

    async updateTeam(id: string, changes: TeamChanges, now: Date) {
      if (!UUID.test(id)) return null;
      const { budget, ...plain } = changes;
      const [row] = await db
        .update(teams)
        .set({ ...plain, ...(budget !== undefined ? budgetColumns(budget) : {}), updatedAt: now })
        .where(eq(teams.id, id))
        .returning();
      return row ? toTeam(row) : null;
    },

    async deleteTeam(id, options, now) {
      if (!UUID.test(id)) return { deleted: false, activeKeys: 0, keys: [] };
      return db.transaction(async (tx) => {
        const [team] = await tx.select({ id: teams.id }).from(teams).where(eq(teams.id, id)).for("update");
        if (!team) return { deleted: false, activeKeys: 0, keys: [] };
        const active = await tx.select({ id: virtualKeys.id }).from(virtualKeys).where(and(eq(virtualKeys.teamId, id), isNull(virtualKeys.revokedAt)));
        if (active.length > 0 && !options.revokeKeys) return { deleted: false, activeKeys: active.length, keys: [] };
        if (active.length > 0) await tx.update(virtualKeys).set({ revokedAt: now }).where(and(eq(virtualKeys.teamId, id), isNull(virtualKeys.revokedAt)));
        const keys = await tx.update(virtualKeys).set({ teamId: null, updatedAt: now }).where(eq(virtualKeys.teamId, id)).returning();
        await tx.delete(teams).where(eq(teams.id, id));
        return { deleted: true, activeKeys: active.length, keys: keys.map(toKey) };
      });
    },

    async insertKey(key: NewVirtualKey, now: Date) {
      const [row] = await db
        .insert(virtualKeys)
        .values({
          id: key.id,
          name: key.name,
          keyHash: key.keyHash,
          keyPrefix: key.keyPrefix,
          teamId: key.teamId,
          allowedModels: key.allowedModels,
          ...budgetColumns(key.budget),
          ...endUserBudgetColumns(key.endUserBudget),
          rpm: key.rpm,
          tpm: key.tpm,
          maxParallel: key.maxParallel,
          expiresAt: key.expiresAt,
          tags: key.tags,
          safelistOnly: key.safelistOnly,
          metadata: key.metadata,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      return toKey(row!);
    },

    async updateKey(id: string, changes: VirtualKeyChanges, now: Date) {
      if (!UUID.test(id)) return null;
      const { budget, endUserBudget, ...plain } = changes;
      const [row] = await db
        .update(virtualKeys)
        .set({
          ...plain,
          ...(budget !== undefined ? budgetColumns(budget) : {}),
          ...(endUserBudget !== undefined ? endUserBudgetColumns(endUserBudget) : {}),
          updatedAt: now,
        })
        .where(eq(virtualKeys.id, id))
        .returning();
      return row ? toKey(row) : null;
    },

    async getKey(id) {
      if (!UUID.test(id)) return null;
      const [row] = await db.select().from(virtualKeys).where(eq(virtualKeys.id, id)).limit(1);
      return row ? toKey(row) : null;
    },

    async getKeyByHash(hash) {
      const [row] = await db.select().from(virtualKeys).where(or(eq(virtualKeys.keyHash, hash), eq(virtualKeys.previousKeyHash, hash))).limit(1);
      return row ? toKey(row) : null;
    },

    async listKeys() {
      return (await db.select().from(virtualKeys).orderBy(asc(virtualKeys.createdAt), asc(virtualKeys.id))).map(toKey);
    },

    async changedSince(since) {
      const [keyRows, teamRows] = await Promise.all([
        db.select().from(virtualKeys).where(gt(virtualKeys.updatedAt, since)),
        db.select().from(teams).where(gt(teams.updatedAt, since)),
      ]);
      return { keys: keyRows.map(toKey), teams: teamRows.map(toTeam) };
    },

    // From the rollups (pending increments included), like usage: exact, and a few rows even for
    // a lifetime budget of a busy key.
    async spentSince(owner, since) {
      const filter =
        "teamId" in owner
          ? { teamId: owner.teamId, from: since }
          : { keyId: owner.keyId, from: since, ...(owner.endUser === undefined ? {} : { endUser: owner.endUser }) };
      return (await totalsFromRollups(db, filter)).costPico;
    },
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function budgetColumns(budget: Budget | null) {
  return { budgetUsd: budget ? picoToUsd(budget.limitPico) : null, budgetPeriod: budget?.period ?? null };
}

function endUserBudgetColumns(budget: Budget | null) {
  return { endUserBudgetUsd: budget ? picoToUsd(budget.limitPico) : null, endUserBudgetPeriod: budget?.period ?? null };
}

function toBudget(usd: string | null, period: string | null): Budget | null {
  return usd === null ? null : { limitPico: usdStringToPico(usd), period: (period ?? "lifetime") as BudgetPeriod };
}

function toTeam(row: TeamRow): Team {
  return {
    id: row.id,
    name: row.name,
    budget: toBudget(row.budgetUsd, row.budgetPeriod),
    rpm: row.rpm,
    tpm: row.tpm,
    maxParallel: row.maxParallel,
    metadata: row.metadata ?? null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function toKey(row: KeyRow): VirtualKey {
  return {
    id: row.id,
    name: row.name,
    keyHash: row.keyHash,
    keyPrefix: row.keyPrefix,
    previousKeyHash: row.previousKeyHash,
    previousKeyExpiresAt: row.previousKeyExpiresAt,
    teamId: row.teamId,
    allowedModels: row.allowedModels,
    budget: toBudget(row.budgetUsd, row.budgetPeriod),
    endUserBudget: toBudget(row.endUserBudgetUsd, row.endUserBudgetPeriod),
    rpm: row.rpm,
    tpm: row.tpm,
    maxParallel: row.maxParallel,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    tags: row.tags,
    safelistOnly: row.safelistOnly,
    metadata: row.metadata ?? null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
