import { Arg, Ctx, Query, Resolver, Root, Subscription } from "type-graphql";
import type { DeploymentHealthInfo } from "../../gateway/create-health-service.js";
import type { GraphQLContext } from "../context.js";
import { toDeploymentHealthView as toDeploymentHealth } from "./to-deployment-health-view.js";
import { DeploymentHealth } from "./deployment-health.type.js";

@Resolver()
export class HealthResolver {
  @Query(() => [DeploymentHealth], { description: "Live health of every deployment, or of one model group (name or alias)." })
  modelHealth(@Ctx() context: GraphQLContext, @Arg("model", () => String, { nullable: true }) model?: string | null): DeploymentHealth[] {
    return context.services.health.list(model ?? undefined).map(toDeploymentHealth);
  }

  @Subscription(() => DeploymentHealth, {
    description: "Pushes a deployment's state each time its status changes (cooldown, recovery, degradation).",
    subscribe: ({ args, context }) => (context as GraphQLContext).services.health.changes((args.model as string | null) ?? undefined),
  })
  deploymentHealthChanged(@Root() change: DeploymentHealthInfo, @Arg("model", () => String, { nullable: true }) _model?: string | null): DeploymentHealth {
    return toDeploymentHealth(change);
  }
}
