import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { BudgetView, TeamView, VirtualKeyView } from "../governance/governance.type.js";
import type { GraphQLContext } from "../context.js";
import { budgetViewOf, keySummaryToView, teamSummaryToView } from "./to-key-team-views.js";

@Resolver(() => VirtualKeyView)
export class VirtualKeyFieldsResolver {
  @FieldResolver(() => TeamView, { nullable: true, description: "Batched per request (DataLoader)." })
  async team(@Root() key: VirtualKeyView, @Ctx() context: GraphQLContext): Promise<TeamView | null> {
    if (key.team !== undefined) return key.team;
    if (key.teamId === null) return null;
    const row = await context.loaders.teamById.load(key.teamId);
    return row ? teamSummaryToView(row) : null;
  }

  @FieldResolver(() => BudgetView, { nullable: true })
  budget(@Root() key: VirtualKeyView, @Ctx() context: GraphQLContext): Promise<BudgetView | null> {
    return budgetViewOf(context.services.governance, key);
  }
}

@Resolver(() => TeamView)
export class TeamFieldsResolver {
  @FieldResolver(() => [VirtualKeyView], { description: "The team's keys, oldest first (a virtual key sees only itself). Batched per request." })
  async keys(@Root() team: TeamView, @Ctx() context: GraphQLContext): Promise<VirtualKeyView[]> {
    const now = context.loaders.requestNow();
    return (await context.loaders.keysByTeam.load(team.id)).map((row) => keySummaryToView(row, now));
  }

  @FieldResolver(() => BudgetView, { nullable: true })
  budget(@Root() team: TeamView, @Ctx() context: GraphQLContext): Promise<BudgetView | null> {
    return budgetViewOf(context.services.governance, team);
  }
}
