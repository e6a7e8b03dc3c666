import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import { badInput } from "../../core/index.js";
import { GatewayError } from "../../core/index.js";
import type { GraphQLContext } from "../context.js";
import { toGraphQLError } from "../to-graphql-error.js";
import { TeamInput, TeamPatch, VirtualKeyInput, VirtualKeyPatch } from "./governance.input.js";
import { CreatedVirtualKey, DeletedTeam, PrincipalKind, PrincipalView, RotatedVirtualKey, TeamView, VirtualKeyView } from "./governance.type.js";
import { toBudget, toKeySpec, toTeamView, toVirtualKeyView } from "./to-governance-view.js";

function requireAdmin(context: GraphQLContext): void {
  if (context.principal.kind !== "admin") throw toGraphQLError(new GatewayError("FORBIDDEN", "Only the master key may do this"));
}

async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toGraphQLError(error);
  }
}

@Resolver()
export class GovernanceResolver {
  @Mutation(() => CreatedVirtualKey, { description: "Admin: a new virtual key; the secret is returned this once." })
  async createVirtualKey(@Arg("input", () => VirtualKeyInput) input: VirtualKeyInput, @Ctx() context: GraphQLContext): Promise<CreatedVirtualKey> {
    requireAdmin(context);
    const services = context.services.governance;
    return guarded(async () => {
      const { key, secret } = await services.admin.createKey(toKeySpec(input));
      return Object.assign(new CreatedVirtualKey(), { key: await toVirtualKeyView(services, key), secret });
    });
  }

  @Mutation(() => VirtualKeyView, { description: "Admin: changes a key; fields left out stay as they are." })
  async updateVirtualKey(
    @Arg("id", () => ID) id: string,
    @Arg("input", () => VirtualKeyPatch) input: VirtualKeyPatch,
    @Ctx() context: GraphQLContext,
  ): Promise<VirtualKeyView> {
    requireAdmin(context);
    const services = context.services.governance;
    return guarded(async () => toVirtualKeyView(services, await services.admin.updateKey(id, toKeySpec(input))));
  }

  @Mutation(() => VirtualKeyView, { description: "Admin: refuses the key from now on, on every door (open WebSockets are closed)." })
  async revokeVirtualKey(@Arg("id", () => ID) id: string, @Ctx() context: GraphQLContext): Promise<VirtualKeyView> {
    requireAdmin(context);
    const services = context.services.governance;
    return guarded(async () => toVirtualKeyView(services, await services.admin.revokeKey(id)));
  }

  @Mutation(() => TeamView, { description: "Admin: a team with its own budget and limits." })
  async createTeam(@Arg("input", () => TeamInput) input: TeamInput, @Ctx() context: GraphQLContext): Promise<TeamView> {
    requireAdmin(context);
    const services = context.services.governance;
    return guarded(async () => {
      const budget = toBudget("budget", input.budget);
      const team = await services.admin.createTeam({
        name: input.name,
        ...(budget !== undefined ? { budget } : {}),
        ...(input.rpm != null ? { rpm: input.rpm } : {}),
        ...(input.tpm != null ? { tpm: input.tpm } : {}),
        ...(input.maxParallel != null ? { maxParallel: input.maxParallel } : {}),
        ...(input.metadata != null ? { metadata: input.metadata } : {}),
      });
      return toTeamView(services, team);
    });
  }

  @Mutation(() => RotatedVirtualKey, {
    description:
      "Admin: a new secret for the key, returned this once. The secret before keeps working for graceSeconds (default: the config's keys.rotationGraceSeconds, one day), then is refused; a second rotation ends the first one's grace at once.",
  })
  async rotateVirtualKey(
    @Arg("id", () => ID) id: string,
    @Arg("graceSeconds", () => Int, { nullable: true }) graceSeconds: number | null | undefined,
    @Ctx() context: GraphQLContext,
  ): Promise<RotatedVirtualKey> {
    requireAdmin(context);
    const services = context.services.governance;
    return guarded(async () => {
      const rotated = await services.admin.rotateKey(id, graceSeconds == null ? {} : { graceSeconds });
      return Object.assign(new RotatedVirtualKey(), { key: await toVirtualKeyView(services, rotated.key), secret: rotated.secret, previousSecretValidUntil: rotated.previousSecretValidUntil });
    });
  }

  @Mutation(() => TeamView, { description: "Admin: changes a team; fields left out stay as they are." })
  async updateTeam(@Arg("id", () => ID) id: string, @Arg("input", () => TeamPatch) input: TeamPatch, @Ctx() context: GraphQLContext): Promise<TeamView> {
    requireAdmin(context);
    const services = context.services.governance;
    return guarded(async () => {
      if (input.name === null) throw badInput("name: a team needs a name", { field: "name" });
      const budget = toBudget("budget", input.budget);
      const team = await services.admin.updateTeam(id, {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(budget !== undefined ? { budget } : {}),
        ...(input.rpm !== undefined ? { rpm: input.rpm } : {}),
        ...(input.tpm !== undefined ? { tpm: input.tpm } : {}),
        ...(input.maxParallel !== undefined ? { maxParallel: input.maxParallel } : {}),
        ...(input.metadata !== undefined ? { metadata: input.metadata } : {}),
      });
      return toTeamView(services, team);
    });
  }

  @Mutation(() => DeletedTeam, {
    description:
      "Admin: deletes a team. A team with active keys is refused unless revokeKeys is true, which revokes them with it (a key never silently loses its team's budget and limits). Its keys are left without a team; their calls keep their history.",
  })
  async deleteTeam(
    @Arg("id", () => ID) id: string,
    @Arg("revokeKeys", () => Boolean, { defaultValue: false }) revokeKeys: boolean,
    @Ctx() context: GraphQLContext,
  ): Promise<DeletedTeam> {
    requireAdmin(context);
    const services = context.services.governance;
    return guarded(async () => {
      const deleted = await services.admin.deleteTeam(id, { revokeKeys });
      return Object.assign(new DeletedTeam(), { id: deleted.team.id, name: deleted.team.name, revokedKeys: deleted.revokedKeys, detachedKeys: deleted.detachedKeys });
    });
  }

  @Query(() => [VirtualKeyView], { description: "Admin: every key; a virtual key: itself." })
  async virtualKeys(@Ctx() context: GraphQLContext): Promise<VirtualKeyView[]> {
    const services = context.services.governance;
    const principal = context.principal;
    return guarded(async () => {
      if (principal.kind === "admin") return Promise.all((await services.admin.listKeys()).map((key) => toVirtualKeyView(services, key)));
      const key = services.directory.key(principal.keyId);
      return key ? [await toVirtualKeyView(services, key)] : [];
    });
  }

  @Query(() => [TeamView], { description: "Admin: every team; a virtual key: its own team." })
  async teams(@Ctx() context: GraphQLContext): Promise<TeamView[]> {
    const services = context.services.governance;
    const principal = context.principal;
    return guarded(async () => {
      if (principal.kind === "admin") return Promise.all((await services.admin.listTeams()).map((team) => toTeamView(services, team)));
      const teamId = services.directory.key(principal.keyId)?.teamId;
      const team = teamId ? services.directory.team(teamId) : undefined;
      return team ? [await toTeamView(services, team)] : [];
    });
  }

  @Query(() => PrincipalView, { description: "Who is calling: admin, or a virtual key with its limits and budget left." })
  async me(@Ctx() context: GraphQLContext): Promise<PrincipalView> {
    const services = context.services.governance;
    const principal = context.principal;
    return guarded(async () => {
      if (principal.kind === "admin") return Object.assign(new PrincipalView(), { kind: PrincipalKind.ADMIN, openMode: principal.open, key: null });
      const key = services.directory.key(principal.keyId);
      return Object.assign(new PrincipalView(), {
        kind: PrincipalKind.VIRTUAL_KEY,
        openMode: services.directory.openMode,
        key: key ? await toVirtualKeyView(services, key) : null,
      });
    });
  }
}
