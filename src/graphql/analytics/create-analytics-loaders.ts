import DataLoader from "dataloader";
import type { KeySummary, TeamSummary } from "../../db/key-team-reads.js";
import type { DeploymentOutcomes, UsageRow } from "../../db/index.js";
import type { DeploymentHealthInfo } from "../../gateway/create-health-service.js";
import type { GraphQLServices } from "../services.js";

export interface AnalyticsLoaders {
  keyById: DataLoader<string, KeySummary | null>;
  teamById: DataLoader<string, TeamSummary | null>;
  keysByTeam: DataLoader<string, KeySummary[]>;
  /** Live router state per model group name. */
  healthByGroup: DataLoader<string, DeploymentHealthInfo[]>;
  /** Key: `${fromMs}|${toMs}|${deploymentId}`; one usage report per distinct window; null: no calls. */
  deploymentUsage: DataLoader<string, UsageRow | null>;
  /** Key: window in minutes; every deployment's stored outcomes since requestNow() minus the window. */
  deploymentOutcomes: DataLoader<number, { since: Date; outcomes: Map<string, DeploymentOutcomes> }>;
  /** The request's "now", read once so every field's default window is the same (and batches together). */
  requestNow(): Date;
}

export const deploymentUsageKey = (from: Date, to: Date, deployment: string): string => `${from.getTime()}|${to.getTime()}|${deployment}`;

export function createAnalyticsLoaders(services: GraphQLServices): AnalyticsLoaders {
  const { keyTeams } = services.analytics;
  let now: Date | undefined;
  const requestNow = () => (now ??= (services.analytics.now ?? (() => new Date()))());
  return {
    keyById: new DataLoader(async (ids) => {
      const found = await keyTeams.keysByIds(ids);
      return ids.map((id) => found.get(id) ?? null);
    }),
    teamById: new DataLoader(async (ids) => {
      const found = await keyTeams.teamsByIds(ids);
      return ids.map((id) => found.get(id) ?? null);
    }),
    keysByTeam: new DataLoader(async (teamIds) => {
      const found = await keyTeams.keysByTeamIds(teamIds);
      return teamIds.map((id) => found.get(id) ?? []);
    }),
    healthByGroup: new DataLoader(async (groups) => {
      const all = services.health.list();
      return groups.map((group) => all.filter((info) => info.model === group));
    }),
    deploymentUsage: new DataLoader(async (keys) => {
      const windows = new Map<string, Map<string, UsageRow>>();
      for (const key of new Set(keys.map((k) => k.split("|", 2).join("|")))) {
        const [fromMs, toMs] = key.split("|").map(Number) as [number, number];
        const report = await services.usage.usage({ filter: { from: new Date(fromMs), to: new Date(toMs) }, groupBy: ["DEPLOYMENT"] });
        windows.set(key, new Map(report.rows.map((row) => [row.key[0] ?? "", row])));
      }
      return keys.map((key) => {
        const [fromMs, toMs, ...rest] = key.split("|");
        return windows.get(`${fromMs}|${toMs}`)?.get(rest.join("|")) ?? null;
      });
    }),
    deploymentOutcomes: new DataLoader(async (windows) =>
      Promise.all(
        windows.map(async (minutes) => {
          const at = requestNow().getTime();
          const since = new Date(Math.floor((at - minutes * 60_000) / 60_000) * 60_000);
          return { since, outcomes: await services.analytics.deploymentOutcomes.since(since) };
        }),
      ),
    ),
    requestNow,
  };
}
