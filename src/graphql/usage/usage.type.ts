import { Field, Float, InputType, Int, ObjectType } from "type-graphql";
import { CallStatus } from "../common/enums.js";
import { DateTimeScalar } from "../common/scalars.js";

@ObjectType("UsageRow")
export class UsageRow {
  @Field(() => [String], { description: "The group-by values, in groupBy order." }) key!: string[];
  @Field(() => DateTimeScalar, { nullable: true }) bucketStart!: Date | null;
  @Field(() => Int, { description: "Every call, errors included." }) requests!: number;
  @Field(() => Int) errors!: number;
  @Field(() => Float) promptTokens!: number;
  @Field(() => Float) completionTokens!: number;
  @Field(() => Float, { nullable: true, description: "Prompt tokens served from the provider's cache." }) cachedTokens?: number | null;
  @Field(() => Float, { nullable: true, description: "Prompt tokens written to the provider's cache (Anthropic, Bedrock); 0 for buckets before cache writes were rolled up." })
  cacheWriteTokens?: number | null;
  @Field(() => Float) costUsd!: number;
  @Field(() => String, { description: "The exact summed cost as a decimal string." }) costUsdExact!: string;
  @Field(() => Float, { nullable: true, description: "Within 2% of the exact percentile (merged log-bucket sketch)." }) latencyP50Ms!: number | null;
  @Field(() => Float, { nullable: true }) latencyP95Ms!: number | null;
  @Field(() => Float, { nullable: true }) latencyP99Ms!: number | null;
  @Field(() => Float, { nullable: true, description: "Time to first token; null when no call in the row streamed one." }) ttftP50Ms?: number | null;
  @Field(() => Float, { nullable: true }) ttftP95Ms?: number | null;
  @Field(() => Float, { nullable: true }) ttftP99Ms?: number | null;
}

@ObjectType("UsageReport")
export class UsageReport {
  @Field(() => UsageRow) totals!: UsageRow;
  @Field(() => [UsageRow]) rows!: UsageRow[];
}

@InputType("UsageFilter")
export class UsageFilter {
  @Field(() => DateTimeScalar, { nullable: true, description: "Inclusive; absent = all time." }) from?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true, description: "Exclusive." }) to?: Date | null;
  @Field(() => String, { nullable: true, description: "Model group." }) model?: string | null;
  @Field(() => String, { nullable: true }) provider?: string | null;
  @Field(() => String, { nullable: true }) deployment?: string | null;
  @Field(() => CallStatus, { nullable: true }) status?: CallStatus | null;
  @Field(() => String, { nullable: true }) user?: string | null;
  @Field(() => String, { nullable: true, description: "Virtual key id (a virtual key always sees only itself)." }) key?: string | null;
  @Field(() => String, { nullable: true, description: "Team id." }) team?: string | null;
  @Field(() => String, { nullable: true, description: "A tag in the call's metadata.tags (answered from raw calls, not rollups)." }) tag?: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      "Calls asked for this group by any of its names (its aliases too): with groupBy MODEL, a quality or cascade group's usage by tier. Answered from raw calls, not rollups.",
  })
  requestedModel?: string | null;
}
