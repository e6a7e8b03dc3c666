import { Arg, Ctx, Query, Resolver, Root, Subscription } from "type-graphql";
import type { DeploymentHealthInfo } from "../../gateway/create-health-service.js";
import type { GraphQLContext } from "../context.js";
import { DeploymentHealth, HealthStatus } from "./deployment-health.type.js";

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

function toDeploymentHealth(info: DeploymentHealthInfo): DeploymentHealth {
  const s = info.snapshot;
  return Object.assign(new DeploymentHealth(), {
    deployment: info.deployment,
    model: info.model,
    provider: info.provider,
    status: s.status as HealthStatus,
    errorRate: s.errorRate,
    attempts: s.attempts,
    latencyP50Ms: s.latencyP50Ms ?? null,
    latencyP95Ms: s.latencyP95Ms ?? null,
    ttftP50Ms: s.ttftP50Ms ?? null,
    rpmUsed: s.rpmUsed,
    rpmLimit: info.rpmLimit ?? s.headroom?.limitRequests ?? null,
    tpmUsed: s.tpmUsed,
    tpmLimit: info.tpmLimit ?? s.headroom?.limitTokens ?? null,
    cooldownUntil: s.cooldownUntil !== undefined ? new Date(s.cooldownUntil) : null,
    lastError: s.lastError ?? null,
    inFlight: s.inFlight,
  });
}
