import { Arg, Ctx, FieldResolver, Float, ID, Mutation, Resolver, Root } from "type-graphql";
import type { FeedbackRow } from "../../db/index.js";
import type { GraphQLContext } from "../context.js";
import { toGraphQLError } from "../to-graphql-error.js";
import { CallFeedback } from "./call-feedback.type.js";
import { Call } from "./call.type.js";
import { toCallView } from "./to-call-view.js";

const toFeedbackView = (row: FeedbackRow): CallFeedback =>
  Object.assign(new CallFeedback(), { score: row.score, comment: row.comment, keyId: row.keyId, recordedAt: row.recordedAt });

@Resolver(() => Call)
export class FeedbackResolver {
  @Mutation(() => Call, {
    description: "Records a score (and an optional comment, at most 4,000 characters) for a call; a virtual key only for its own calls. Returns the call.",
  })
  async recordFeedback(
    @Arg("callId", () => ID) callId: string,
    @Arg("score", () => Float) score: number,
    @Ctx() context: GraphQLContext,
    @Arg("comment", () => String, { nullable: true }) comment?: string | null,
  ): Promise<Call> {
    try {
      const keyId = context.principal.kind === "key" ? context.principal.keyId : null;
      const { call } = await context.services.feedback.record({ callId, score, comment: comment ?? null }, { calls: context.services.primaryCalls, keyId });
      return toCallView(call);
    } catch (error) {
      throw toGraphQLError(error);
    }
  }

  @FieldResolver(() => [CallFeedback], { description: "Scores recorded for this call, oldest first." })
  async feedback(@Root() call: Call, @Ctx() context: GraphQLContext): Promise<CallFeedback[]> {
    return (await context.loaders.feedbackByCall.load(call.id)).map(toFeedbackView);
  }
}
