import type { Config } from "../config/index.js";
import { V1_DOORS, type V1Door } from "../server/v1-doors.js";

export interface BannerInput {
  config: Config;
  /** The base URL for a client on this machine. */
  url: string;
  /** What is bound, e.g. `127.0.0.1:4000` or `0.0.0.0:4000`. */
  listening: string;
  /** Whether a master key is required (false: open dev mode). */
  masterKey: boolean;
  configPath: string;
  /** Cluster workers serving the port (server.workers), when more than one. */
  workers?: number;
}

/** What a person starting Switchyard needs to begin: where it listens, the groups and their deployments, the doors, the auth mode. */
export function formatBanner(input: BannerInput): string {
  const { config, url, listening } = input;
  // The bound address as it is: 0.0.0.0 means every interface, not only this machine.
  const reach = /^(0\.0\.0\.0|\[::\]):/.test(listening) ? "every network interface" : "this address only";
  const database = config.database.url ? "Postgres (DATABASE_URL)" : `embedded PGlite in ${config.database.dataDir}`;
  const auth = input.masterKey
    ? "master key required (Authorization: Bearer $SWITCHYARD_MASTER_KEY, or a virtual key)"
    : "OPEN DEV MODE: no SWITCHYARD_MASTER_KEY, every caller is admin";
  const width = Math.max(...config.models.map((group) => label(group).length));
  const groups = config.models.map((group) => {
    const deployments = group.deployments.map((d) => `${d.id} (${d.provider}/${d.model}${d.provider === "simulator" || d.simulate ? ", simulated" : ""})`);
    const policy = group.quality ? "quality routing" : group.cascade ? "cascade" : group.strategy;
    const over = group.quality?.tiers ?? group.cascade?.tiers;
    return `    ${label(group).padEnd(width)}  ${policy}: ${over ? `tiers ${over.join(" → ")}` : deployments.join(", ")}${group.fallbacks.length > 0 ? `; falls back to ${group.fallbacks.join(", ")}` : ""}`;
  });
  return [
    "",
    `  Switchyard on ${url}  —  playground: ${url}/graphql`,
    `  listening on ${listening} (${reach})`,
    "",
    "  Model groups (the `model` of a request):",
    ...groups,
    "",
    ...v1Lines(url),
    `  GraphQL and playground  ${url}/graphql`,
    `  Dashboard               ${url}/dashboard`,
    `  Health                  ${url}/healthz, ${url}/readyz`,
    `  Auth                    ${auth}`,
    `  Database                ${database}`,
    `  Config                  ${input.configPath}`,
    ...(input.workers !== undefined ? [`  Processes               ${input.workers} workers on this port (server.workers)`] : []),
    "",
    "",
  ].join("\n");
}

function label(group: Config["models"][number]): string {
  return group.aliases.length > 0 ? `${group.name} (${group.aliases.join(", ")})` : group.name;
}

/** One line per wire format under /v1, every door the routes match: `POST /chat/completions, /responses; GET /models`. */
function v1Lines(url: string): string[] {
  const byApi = new Map<V1Door["api"], V1Door[]>();
  for (const door of Object.values(V1_DOORS) as V1Door[]) byApi.set(door.api, [...(byApi.get(door.api) ?? []), door]);
  return [...byApi].map(([api, doors]) => {
    const methods = [...new Set(doors.map((door) => door.method))].map(
      (method) => `${method} ${doors.filter((door) => door.method === method).map((door) => door.path.slice("/v1".length)).join(", ")}`,
    );
    return `  ${`${api}-compatible`.padEnd(24)}${url}/v1  (${methods.join("; ")})`;
  });
}
