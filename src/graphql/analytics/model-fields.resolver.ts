import { Arg, Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { badInput } from "../../core/index.js";
import type { GraphQLContext } from "../context.js";
import { DeploymentHealth } from "../health/deployment-health.type.js";
import { DeploymentView, ModelGroup } from "../models/model-group.type.js";
import { toGraphQLError } from "../to-graphql-error.js";
import { UsageRow } from "../usage/usage.type.js";
import { deploymentUsageKey } from "./create-analytics-loaders.js";
import { TimeWindowInput } from "./time-window.input.js";
import { toDeploymentHealthView } from "../health/to-deployment-health-view.js";

const DEFAULT_WINDOW_MS = 60 * 60_000;

const NO_CALLS: Omit<UsageRow, "key"> = {
  bucketStart: null,
  requests: 0,
  errors: 0,
  promptTokens: 0,
  completionTokens: 0,
  costUsd: 0,
  costUsdExact: "0.000000000000",
  latencyP50Ms: null,
  latencyP95Ms: null,
  latencyP99Ms: null,
};

@Resolver(() => ModelGroup)
export class ModelGroupHealthResolver {
  @FieldResolver(() => [DeploymentHealth], { description: "Live router state of the group's deployments." })
  async health(@Root() group: ModelGroup, @Ctx() context: GraphQLContext): Promise<DeploymentHealth[]> {
    return (await context.loaders.healthByGroup.load(group.name)).map(toDeploymentHealthView);
  }
}

@Resolver(() => DeploymentView)
export class DeploymentUsageResolver {
  @FieldResolver(() => UsageRow, { description: "Requests, errors, exact cost and latency of this deployment's calls; default window: the last hour." })
  async usage(
    @Root() deployment: DeploymentView,
    @Ctx() context: GraphQLContext,
    @Arg("window", () => TimeWindowInput, { nullable: true }) window?: TimeWindowInput | null,
  ): Promise<UsageRow> {
    const to = window?.to ?? context.loaders.requestNow();
    const from = window?.from ?? new Date(to.getTime() - DEFAULT_WINDOW_MS);
    if (!(from.getTime() < to.getTime())) throw toGraphQLError(badInput("window: from must be before to", { field: "window" }));
    try {
      const row = await context.loaders.deploymentUsage.load(deploymentUsageKey(from, to, deployment.id));
      if (!row) return Object.assign(new UsageRow(), { ...NO_CALLS, key: [deployment.id] });
      return Object.assign(new UsageRow(), { ...row, costUsd: Number(row.costUsd), costUsdExact: row.costUsd });
    } catch (error) {
      throw toGraphQLError(error);
    }
  }
}
