import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from "type-graphql";
import { badInput } from "../../core/index.js";
import type { GraphQLContext } from "../context.js";
import { toGraphQLError } from "../to-graphql-error.js";
import { DeploymentHealth, HealthStatus } from "./deployment-health.type.js";
import { DeploymentOutcomes } from "./deployment-outcomes.type.js";
import { statusFromOutcomes, toDeploymentOutcomesView } from "./to-deployment-outcomes-view.js";

const DEFAULT_WINDOW_MINUTES = 5;
const MAX_WINDOW_MINUTES = 24 * 60;

/** Combines the router's live view with the call log's recent outcomes (one query per window and request). */
@Resolver(() => DeploymentHealth)
export class DeploymentHealthFieldsResolver {
  /** Described on DeploymentHealth.status. */
  @FieldResolver(() => HealthStatus)
  async status(@Root() health: DeploymentHealth, @Ctx() context: GraphQLContext): Promise<HealthStatus> {
    if (health.status !== HealthStatus.UNKNOWN) return health.status;
    try {
      return statusFromOutcomes(await outcomesOf(context, health.deployment, DEFAULT_WINDOW_MINUTES));
    } catch {
      // The database being away must not hide the live view.
      return health.status;
    }
  }

  @FieldResolver(() => DeploymentOutcomes, {
    description: "Stored attempt outcomes of this deployment over the last `windowMinutes` (default 5, at most 1440), from every gateway instance.",
  })
  async recent(
    @Root() health: DeploymentHealth,
    @Ctx() context: GraphQLContext,
    @Arg("windowMinutes", () => Int, { defaultValue: DEFAULT_WINDOW_MINUTES }) windowMinutes: number,
  ): Promise<DeploymentOutcomes> {
    if (!Number.isInteger(windowMinutes) || windowMinutes < 1 || windowMinutes > MAX_WINDOW_MINUTES) {
      throw toGraphQLError(badInput(`windowMinutes must be between 1 and ${MAX_WINDOW_MINUTES}`, { field: "windowMinutes" }));
    }
    try {
      return await outcomesOf(context, health.deployment, windowMinutes);
    } catch (error) {
      throw toGraphQLError(error);
    }
  }
}

async function outcomesOf(context: GraphQLContext, deployment: string, windowMinutes: number): Promise<DeploymentOutcomes> {
  const { since, outcomes } = await context.loaders.deploymentOutcomes.load(windowMinutes);
  return toDeploymentOutcomesView(outcomes.get(deployment), windowMinutes, since);
}
