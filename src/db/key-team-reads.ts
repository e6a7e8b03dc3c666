import { asc, getTableColumns, inArray } from "drizzle-orm";
import { UUID } from "./call-cursor.js";
import type { DrizzleDb } from "./database.js";
import { teams, virtualKeys } from "./schema/index.js";

/** What the analytics API shows of a key: never its hash, let alone the secret. */
export type KeySummary = Omit<typeof virtualKeys.$inferSelect, "keyHash">;

export type TeamSummary = typeof teams.$inferSelect;

/** Batch reads of keys and teams for DataLoaders: one statement per call, whatever the number of ids. */
export interface KeyTeamReads {
  keysByIds(ids: readonly string[]): Promise<Map<string, KeySummary>>;
  teamsByIds(ids: readonly string[]): Promise<Map<string, TeamSummary>>;
  /** Every requested team id is a key (empty list when the team has none), keys oldest first. */
  keysByTeamIds(teamIds: readonly string[]): Promise<Map<string, KeySummary[]>>;
}

const { keyHash: _hash, ...keyColumns } = getTableColumns(virtualKeys);

// calls.key_id is text while the ids are uuid columns: anything else would make Postgres refuse the cast.
const uuids = (ids: readonly string[]): string[] => [...new Set(ids.filter((id) => UUID.test(id)).map((id) => id.toLowerCase()))];

export function createKeyTeamReads(db: DrizzleDb): KeyTeamReads {
  return {
    async keysByIds(ids) {
      const valid = uuids(ids);
      const rows = valid.length === 0 ? [] : await db.select(keyColumns).from(virtualKeys).where(inArray(virtualKeys.id, valid));
      const byId = new Map(rows.map((row) => [row.id, row]));
      return new Map(ids.flatMap((id) => (byId.has(id.toLowerCase()) ? [[id, byId.get(id.toLowerCase())!] as const] : [])));
    },

    async teamsByIds(ids) {
      const valid = uuids(ids);
      const rows =
        valid.length === 0 ? [] : await db.select().from(teams).where(inArray(teams.id, valid));
      const byId = new Map(rows.map((row) => [row.id, row]));
      return new Map(ids.flatMap((id) => (byId.has(id.toLowerCase()) ? [[id, byId.get(id.toLowerCase())!] as const] : [])));
    },

    async keysByTeamIds(teamIds) {
      const valid = uuids(teamIds);
      const rows =
        valid.length === 0
          ? []
          : await db.select(keyColumns).from(virtualKeys).where(inArray(virtualKeys.teamId, valid)).orderBy(asc(virtualKeys.createdAt), asc(virtualKeys.id));
      const grouped = new Map<string, KeySummary[]>();
      for (const row of rows) {
        const list = grouped.get(row.teamId!) ?? [];
        list.push(row);
        grouped.set(row.teamId!, list);
      }
      return new Map(teamIds.map((id) => [id, grouped.get(id.toLowerCase()) ?? []]));
    },
  };
}

/** A virtual key reads only itself and its own team, and a team lists only that key: enforced here, not in resolvers. */
export function scopeKeyTeamReads(reads: KeyTeamReads, keyId: string): KeyTeamReads {
  const own = keyId.toLowerCase();
  const ownTeam = async (): Promise<string | null> => (await reads.keysByIds([keyId])).get(keyId)?.teamId ?? null;
  return {
    keysByIds: (ids) => reads.keysByIds(ids.filter((id) => id.toLowerCase() === own)),
    async teamsByIds(ids) {
      const teamId = await ownTeam();
      return reads.teamsByIds(ids.filter((id) => teamId !== null && id.toLowerCase() === teamId));
    },
    async keysByTeamIds(teamIds) {
      const all = await reads.keysByTeamIds(teamIds);
      return new Map([...all].map(([teamId, keys]) => [teamId, keys.filter((key) => key.id === own)]));
    },
  };
}
