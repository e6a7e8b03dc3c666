import { Arg, Ctx, Mutation, Resolver, Root, Subscription } from "type-graphql";
import type { StreamChunk } from "../../gateway/completion-types.js";
import type { GraphQLContext } from "../context.js";
import { toGraphQLError } from "../to-graphql-error.js";
import { CompletionInput } from "./completion.input.js";
import { Completion, CompletionChunk } from "./completion.type.js";
import { toCompletionChunk, toCompletionView } from "./to-completion-view.js";
import { toCompletionCommand } from "./to-completion-command.js";

@Resolver()
export class CompletionResolver {
  @Mutation(() => Completion, { description: "Runs one chat completion through the router." })
  async complete(@Arg("input", () => CompletionInput) input: CompletionInput, @Ctx() context: GraphQLContext): Promise<Completion> {
    try {
      const outcome = await context.services.completions.complete(toCompletionCommand(input, context));
      return toCompletionView(outcome);
    } catch (error) {
      throw toGraphQLError(error);
    }
  }

  @Subscription(() => CompletionChunk, {
    description: "Streams a completion as it is generated; unsubscribing cancels the upstream call.",
    subscribe: ({ args, context }) => {
      const ctx = context as GraphQLContext;
      return ctx.services.completions.stream(toCompletionCommand(args.input as CompletionInput, ctx));
    },
  })
  completionStream(
    @Root() chunk: StreamChunk,
    @Arg("input", () => CompletionInput) _input: CompletionInput,
  ): CompletionChunk {
    if (chunk.kind === "error") throw toGraphQLError(chunk.error, chunk.callId ? { callId: chunk.callId } : {});
    return toCompletionChunk(chunk);
  }
}


