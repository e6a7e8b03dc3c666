import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import { picoToUsd as picoToUsdText } from "../../db/pico-to-usd.js";
import { picoToUsd } from "../common/pico-to-usd.js";
import type { GraphQLContext } from "../context.js";
import { toGraphQLError } from "../to-graphql-error.js";
import { Embedding, EmbeddingInput } from "./embedding.types.js";

@Resolver()
export class EmbeddingResolver {
  @Mutation(() => Embedding, { description: "Embeds texts through the router: the same retries, fallbacks, budgets and limits as `complete`." })
  async embed(@Arg("input", () => EmbeddingInput) input: EmbeddingInput, @Ctx() context: GraphQLContext): Promise<Embedding> {
    try {
      const outcome = await context.services.completions.embed({
        request: {
          model: input.model,
          input: input.input,
          ...(input.dimensions != null ? { dimensions: input.dimensions } : {}),
          ...(input.user != null ? { user: input.user } : {}),
        },
        metadata: input.metadata ?? null,
        signal: context.signal,
      });
      return Object.assign(new Embedding(), {
        callId: outcome.callId,
        modelGroup: outcome.modelGroup,
        deployment: outcome.deployment,
        provider: outcome.provider,
        model: outcome.response.model,
        vectors: outcome.response.vectors,
        promptTokens: outcome.response.inputTokens,
        costUsd: picoToUsd(outcome.costPico),
        costUsdExact: picoToUsdText(outcome.costPico),
        latencyMs: outcome.latencyMs,
      });
    } catch (error) {
      throw toGraphQLError(error);
    }
  }
}
