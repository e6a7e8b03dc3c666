import "reflect-metadata";
import { EmbeddingResolver } from "./embedding/embedding.resolver.js";
import type { GraphQLSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { CallKeyResolver } from "./analytics/call-key.resolver.js";
import { CostWhatIfResolver } from "./analytics/cost-what-if.resolver.js";
import { RoutingSavingsResolver } from "./analytics/routing-savings.resolver.js";
import { TeamFieldsResolver, VirtualKeyFieldsResolver } from "./analytics/key-team-fields.resolver.js";
import { DeploymentUsageResolver, ModelGroupHealthResolver } from "./analytics/model-fields.resolver.js";
import { CallsResolver } from "./calls/calls.resolver.js";
import { FeedbackResolver } from "./calls/feedback.resolver.js";
import { CompletionResolver } from "./completion/completion.resolver.js";
import { GovernanceResolver } from "./governance/governance.resolver.js";
import { DeploymentHealthFieldsResolver } from "./health/deployment-health-fields.resolver.js";
import { HealthResolver } from "./health/health.resolver.js";
import { ModelsResolver } from "./models/models.resolver.js";
import { UsageResolver } from "./usage/usage.resolver.js";
import { useLeanRootResolvers } from "./lean-root-resolvers.js";

const RESOLVERS = [CompletionResolver, ModelsResolver, CallsResolver, UsageResolver, HealthResolver, GovernanceResolver,
  CallKeyResolver, VirtualKeyFieldsResolver, TeamFieldsResolver, ModelGroupHealthResolver, DeploymentUsageResolver, CostWhatIfResolver,
  DeploymentHealthFieldsResolver, FeedbackResolver, RoutingSavingsResolver, EmbeddingResolver] as const;

export interface BuildGraphQLSchemaOptions {
  /**
   * Leaves out type-graphql's check of the built schema, a whole introspection query run on it: about half the
   * build. The server passes it, since Apollo Server checks the schema when it starts (assertValidSchema);
   * `schema:emit` and `schema:check` keep the check.
   */
  skipCheck?: boolean;
}

/** The whole schema, built from the resolver classes; schema/schema.graphql is emitted from it. */
export async function buildGraphQLSchema(options: BuildGraphQLSchemaOptions = {}): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: RESOLVERS,
    // No argument validation, auth checker or global middleware: what useLeanRootResolvers relies on.
    validate: false,
    skipCheck: options.skipCheck === true,
    // Every subscription here brings its own `subscribe` source; topic-based PubSub is not used.
    pubSub: {
      publish: () => undefined,
      subscribe: () => {
        throw new Error("topic subscriptions are not used");
      },
    },
  });
  useLeanRootResolvers(schema, RESOLVERS);
  return schema;
}
