import type { Command } from "commander";
import type { AdminClient } from "./admin-client.js";

const KEY_FIELDS = "id name keyPrefix teamId allowedModels rpm tpm maxParallel expiresAt revokedAt active tags safelistOnly";
const TEAM_FIELDS = "id name rpm tpm maxParallel budget { limitUsd period spentUsd }";

type Print = (value: unknown) => void;

const int = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new Error(`not a whole number: ${value}`);
  return n;
};
const list = (value: string): string[] => value.split(",").map((part) => part.trim()).filter(Boolean);
const budget = (usd: string | undefined, period: string | undefined) => (usd === undefined ? {} : { budget: usd === "none" ? null : { limitUsd: Number(usd), period: (period ?? "lifetime").toUpperCase() } });
const limits = (options: { rpm?: number; tpm?: number; maxParallel?: number }) => ({
  ...(options.rpm !== undefined ? { rpm: options.rpm } : {}),
  ...(options.tpm !== undefined ? { tpm: options.tpm } : {}),
  ...(options.maxParallel !== undefined ? { maxParallel: options.maxParallel } : {}),
});

/** `switchyard keys create|list|revoke|rotate`: the GraphQL governance mutations, as the master key. */
export function addKeyCommands(program: Command, client: () => AdminClient, print: Print): void {
  const keys = program.command("keys").description("virtual keys on a running Switchyard (needs SWITCHYARD_MASTER_KEY)");
  keys
    .command("create")
    .description("create a virtual key; its secret is printed this once")
    .option("--name <name>", "a name to recognise it")
    .option("--team <id>", "the team it belongs to")
    .option("--models <globs>", "allowed model groups, comma-separated globs (default: every model)", list)
    .option("--budget <usd>", "a budget in USD")
    .option("--period <period>", "daily, weekly, monthly or lifetime (default lifetime)")
    .option("--rpm <n>", "requests per minute", int)
    .option("--tpm <n>", "tokens per minute", int)
    .option("--max-parallel <n>", "calls in flight at once", int)
    .option("--safelist-only", "may run only the GraphQL operations of the safelist (server.graphql.safelist): for keys in browsers")
    .action(async (options) => {
      const input = {
        ...(options.safelistOnly ? { safelistOnly: true } : {}),
        ...(options.name ? { name: options.name } : {}),
        ...(options.team ? { teamId: options.team } : {}),
        ...(options.models ? { allowedModels: options.models } : {}),
        ...budget(options.budget, options.period),
        ...limits(options),
      };
      const data = await client().request<{ createVirtualKey: unknown }>(`mutation($input: VirtualKeyInput!) { createVirtualKey(input: $input) { secret key { ${KEY_FIELDS} } } }`, { input });
      print(data.createVirtualKey);
    });
  keys
    .command("list")
    .description("every virtual key (never their secrets)")
    .action(async () => print((await client().request<{ virtualKeys: unknown }>(`{ virtualKeys { ${KEY_FIELDS} } }`)).virtualKeys));
  keys
    .command("revoke")
    .description("refuse a key from now on, on every door")
    .argument("<id>", "the key's id")
    .action(async (id: string) => print((await client().request<{ revokeVirtualKey: unknown }>(`mutation($id: ID!) { revokeVirtualKey(id: $id) { ${KEY_FIELDS} } }`, { id })).revokeVirtualKey));
  keys
    .command("rotate")
    .description("give a key a new secret (printed this once); the one before works for the grace period")
    .argument("<id>", "the key's id")
    .option("--grace <seconds>", "how long the secret before keeps working (default: keys.rotationGraceSeconds of the config, one day)", int)
    .action(async (id: string, options: { grace?: number }) => {
      const data = await client().request<{ rotateVirtualKey: unknown }>(
        `mutation($id: ID!, $grace: Int) { rotateVirtualKey(id: $id, graceSeconds: $grace) { secret previousSecretValidUntil key { ${KEY_FIELDS} } } }`,
        { id, grace: options.grace ?? null },
      );
      print(data.rotateVirtualKey);
    });
}

/** `switchyard teams create|list|update|delete`. */
export function addTeamCommands(program: Command, client: () => AdminClient, print: Print): void {
  const teams = program.command("teams").description("teams on a running Switchyard (needs SWITCHYARD_MASTER_KEY)");
  const withLimits = (command: Command) =>
    command
      .option("--budget <usd>", 'a budget in USD ("none" clears it on update)')
      .option("--period <period>", "daily, weekly, monthly or lifetime (default lifetime)")
      .option("--rpm <n>", "requests per minute", int)
      .option("--tpm <n>", "tokens per minute", int)
      .option("--max-parallel <n>", "calls in flight at once", int);
  withLimits(teams.command("create").description("create a team").argument("<name>", "the team's name")).action(async (name: string, options) => {
    const input = { name, ...budget(options.budget, options.period), ...limits(options) };
    print((await client().request<{ createTeam: unknown }>(`mutation($input: TeamInput!) { createTeam(input: $input) { ${TEAM_FIELDS} } }`, { input })).createTeam);
  });
  teams.command("list").description("every team").action(async () => print((await client().request<{ teams: unknown }>(`{ teams { ${TEAM_FIELDS} } }`)).teams));
  withLimits(teams.command("update").description("change a team; options left out stay as they are").argument("<id>", "the team's id").option("--name <name>", "a new name")).action(
    async (id: string, options) => {
      const input = { ...(options.name ? { name: options.name } : {}), ...budget(options.budget, options.period), ...limits(options) };
      print((await client().request<{ updateTeam: unknown }>(`mutation($id: ID!, $input: TeamPatch!) { updateTeam(id: $id, input: $input) { ${TEAM_FIELDS} } }`, { id, input })).updateTeam);
    },
  );
  teams
    .command("delete")
    .description("delete a team; refused while it has active keys unless --revoke-keys")
    .argument("<id>", "the team's id")
    .option("--revoke-keys", "revoke the team's active keys with it")
    .action(async (id: string, options: { revokeKeys?: boolean }) => {
      const data = await client().request<{ deleteTeam: unknown }>(`mutation($id: ID!, $revoke: Boolean) { deleteTeam(id: $id, revokeKeys: $revoke) { id name revokedKeys detachedKeys } }`, {
        id,
        revoke: options.revokeKeys === true,
      });
      print(data.deleteTeam);
    });
}
