import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { Call } from "../calls/call.type.js";
import type { GraphQLContext } from "../context.js";
import { VirtualKeyView } from "../governance/governance.type.js";
import { keySummaryToView } from "./to-key-team-views.js";

@Resolver(() => Call)
export class CallKeyResolver {
  @FieldResolver(() => VirtualKeyView, { nullable: true, description: "The virtual key that made the call (never its secret); batched per request." })
  async key(@Root() call: Call, @Ctx() context: GraphQLContext): Promise<VirtualKeyView | null> {
    if (call.keyId === null) return null;
    const row = await context.loaders.keyById.load(call.keyId);
    return row ? keySummaryToView(row, context.loaders.requestNow()) : null;
  }
}
