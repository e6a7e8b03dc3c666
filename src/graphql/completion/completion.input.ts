import { Field, Float, InputType, Int } from "type-graphql";
import { MessageRole, ReasoningEffortLevel, ResponseFormatType } from "../common/enums.js";
import { JSONScalar } from "../common/scalars.js";

@InputType("ToolCallInput")
export class ToolCallInput {
  @Field(() => String) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: "JSON-encoded arguments." }) arguments!: string;
}

@InputType("MessagePartInput", { description: "One part of a message's content: text, or an image (give exactly one of the two)." })
export class MessagePartInput {
  @Field(() => String, { nullable: true }) text?: string | null;
  @Field(() => String, { nullable: true, description: "An http(s) URL, or a data: URL carrying the image as base64 (data:image/png;base64,…)." })
  imageUrl?: string | null;
  @Field(() => String, { nullable: true, description: "OpenAI's image detail: auto, low or high; other providers ignore it." })
  detail?: string | null;
}

@InputType("MessageInput")
export class MessageInput {
  @Field(() => MessageRole) role!: MessageRole;
  @Field(() => String, { nullable: true }) content?: string | null;
  @Field(() => [MessagePartInput], { nullable: true, description: "Content as parts (text and images), instead of `content`." })
  parts?: MessagePartInput[] | null;
  @Field(() => [ToolCallInput], { nullable: true }) toolCalls?: ToolCallInput[] | null;
  @Field(() => String, { nullable: true, description: "For TOOL messages: the call this answers." }) toolCallId?: string | null;
  @Field(() => String, { nullable: true }) name?: string | null;
}

@InputType("ToolInput")
export class ToolInput {
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => JSONScalar, { nullable: true, description: "A JSON Schema object." }) parameters?: Record<string, unknown> | null;
}

@InputType("ResponseFormatInput")
export class ResponseFormatInput {
  @Field(() => ResponseFormatType) type!: ResponseFormatType;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => JSONScalar, { nullable: true }) schema?: Record<string, unknown> | null;
  @Field(() => Boolean, { nullable: true }) strict?: boolean | null;
}

@InputType("RoutingInput", { description: "Per-request routing overrides." })
export class RoutingInput {
  @Field(() => String, { nullable: true, description: "weighted | round-robin | least-busy | latency | usage | cost" }) strategy?: string | null;
  @Field(() => [String], { nullable: true, description: "Model groups to fall back to, in order, instead of the group's own." }) fallbacks?: string[] | null;
  @Field(() => Float, { nullable: true, description: "Skip deployments whose expected cost is above this (USD)." }) maxCostUsd?: number | null;
  @Field(() => Int, { nullable: true, description: "Overall deadline of this call in milliseconds." }) timeoutMs?: number | null;
  @Field(() => [String], { nullable: true, description: "Free tags kept with the call." }) tags?: string[] | null;
  @Field(() => [Float], {
    nullable: true,
    description: "A quality group's threshold for this request, one per boundary between tiers (a single number for two tiers).",
  })
  threshold?: number[] | null;
}

@InputType("CompletionInput")
export class CompletionInput {
  @Field(() => String, { description: "A model group or an alias." }) model!: string;
  @Field(() => [MessageInput]) messages!: MessageInput[];
  @Field(() => Float, { nullable: true }) temperature?: number | null;
  @Field(() => Float, { nullable: true }) topP?: number | null;
  @Field(() => Int, { nullable: true }) maxTokens?: number | null;
  @Field(() => [String], { nullable: true }) stop?: string[] | null;
  @Field(() => [ToolInput], { nullable: true }) tools?: ToolInput[] | null;
  @Field(() => String, { nullable: true, description: "auto | none | required | <tool name>" }) toolChoice?: string | null;
  @Field(() => ResponseFormatInput, { nullable: true }) responseFormat?: ResponseFormatInput | null;
  @Field(() => RoutingInput, { nullable: true }) routing?: RoutingInput | null;
  @Field(() => JSONScalar, { nullable: true, description: "Free tags kept with the call for analytics." }) metadata?: Record<string, unknown> | null;
  @Field(() => String, { nullable: true, description: "End-user id." }) user?: string | null;
  @Field(() => ReasoningEffortLevel, { nullable: true, description: "Reasoning effort, mapped per provider; absent = the provider's default." })
  reasoningEffort?: ReasoningEffortLevel | null;
}
