import { Field, Float, ID, Int, ObjectType } from "type-graphql";
import { AttemptView } from "../common/attempt.type.js";
import { FinishReason } from "../common/enums.js";
import { RoutingDecisionView } from "../common/routing-decision.type.js";
import { UsageView } from "../common/usage.type.js";

// The views of a completion, its chunks, usage, attempts and routing are plain objects whose fields are read as
// they are: `simpleResolvers` leaves their fields to graphql-js's default resolver instead of a type-graphql
// wrapper per field (an object and a closure for every field of every answer; none of these types has a
// field resolver or a middleware).
@ObjectType("ToolCall", { simpleResolvers: true })
export class ToolCallView {
  @Field(() => String) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: "JSON-encoded arguments." }) arguments!: string;
}

@ObjectType("Message", { simpleResolvers: true })
export class MessageView {
  @Field(() => String) role!: string;
  @Field(() => String, { nullable: true }) content!: string | null;
  @Field(() => [ToolCallView]) toolCalls!: ToolCallView[];
  @Field(() => String, { nullable: true, description: "The model's reasoning text, when the provider returns it (thinking blocks, thought summaries, reasoning_content)." })
  reasoning!: string | null;
}

@ObjectType("Completion", { simpleResolvers: true })
export class Completion {
  @Field(() => ID, { description: "The persisted call's id." }) id!: string;
  @Field(() => String, { description: "The provider model that answered." }) model!: string;
  @Field(() => String) modelGroup!: string;
  @Field(() => String) provider!: string;
  @Field(() => String) deployment!: string;
  @Field(() => MessageView) message!: MessageView;
  @Field(() => FinishReason) finishReason!: FinishReason;
  @Field(() => String, { nullable: true, description: "The provider's own finish reason." }) rawFinishReason!: string | null;
  @Field(() => UsageView) usage!: UsageView;
  @Field(() => Float) costUsd!: number;
  @Field(() => Float) latencyMs!: number;
  @Field(() => [AttemptView]) attempts!: AttemptView[];
  @Field(() => RoutingDecisionView, { nullable: true, description: "Quality routing and cascades: how the tier was chosen." }) routing!: RoutingDecisionView | null;
}

@ObjectType("ToolCallDelta", { simpleResolvers: true })
export class ToolCallDeltaView {
  @Field(() => Int) index!: number;
  @Field(() => String, { nullable: true }) id!: string | null;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => String) argumentsDelta!: string;
}

@ObjectType("CompletionChunk", { simpleResolvers: true })
export class CompletionChunk {
  @Field(() => ID) callId!: string;
  @Field(() => Int, { description: "0, 1, 2, … in order." }) index!: number;
  @Field(() => String, { nullable: true, description: "Text since the previous chunk." }) delta!: string | null;
  @Field(() => String, { nullable: true, description: "Reasoning text since the previous chunk (it comes before the answer)." }) reasoningDelta!: string | null;
  @Field(() => [ToolCallDeltaView], { nullable: true }) toolCallDeltas!: ToolCallDeltaView[] | null;
  @Field(() => String, { nullable: true }) deployment!: string | null;
  @Field(() => String, { nullable: true, description: "Set on the last chunk." }) model!: string | null;
  @Field(() => FinishReason, { nullable: true, description: "Set on the last chunk." }) finishReason!: FinishReason | null;
  @Field(() => UsageView, { nullable: true, description: "Set on the last chunk." }) usage!: UsageView | null;
  @Field(() => Float, { nullable: true, description: "Set on the last chunk." }) costUsd!: number | null;
  @Field(() => RoutingDecisionView, { nullable: true, description: "Quality routing and cascades; set on the last chunk." }) routing!: RoutingDecisionView | null;
  @Field(() => Boolean) done!: boolean;
}
