import { Field, Float, InputType, Int, ObjectType } from "type-graphql";
import { RoutingPolicy } from "../common/routing-decision.type.js";
import { DateTimeScalar } from "../common/scalars.js";

@InputType("RoutingSavingsFilter")
export class RoutingSavingsFilter {
  @Field(() => String, { description: "A quality or cascade group, by its name or an alias." }) model!: string;
  @Field(() => DateTimeScalar, { nullable: true, description: "Inclusive; absent = all time." }) from?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true, description: "Exclusive." }) to?: Date | null;
}

@ObjectType("RoutingSavingsRow", { description: "What a tiered group's calls cost against what the same requests would have cost on its top tier; exact strings beside the Floats." })
export class RoutingSavingsRow {
  @Field(() => DateTimeScalar, { nullable: true, description: "UTC bucket start; null in the totals." }) bucketStart!: Date | null;
  @Field(() => Int, { description: "Every routed call, a cascade's superseded cheaper answers included." }) calls!: number;
  @Field(() => Int, { description: "Calls that answered a request (one per request)." }) requests!: number;
  @Field(() => Int, { description: "Requests answered by the top tier." }) strongRequests!: number;
  @Field(() => Float, { nullable: true, description: "strongRequests / requests; null without requests." }) strongShare!: number | null;
  @Field(() => Int, { description: "Cascade escalations (calls with escalatedFrom)." }) escalations!: number;
  @Field(() => Float) costUsd!: number;
  @Field(() => String) costUsdExact!: string;
  @Field(() => Float, { description: "The same requests on the top tier: cheaper answers' tokens at the top tier's price." }) topTierCostUsd!: number;
  @Field(() => String) topTierCostUsdExact!: string;
  @Field(() => Float, { description: "topTierCost − cost (negative when routing cost more)." }) savedUsd!: number;
  @Field(() => String) savedUsdExact!: string;
}

@ObjectType("RoutingSavingsReport")
export class RoutingSavingsReport {
  @Field(() => String, { description: "The group's own name." }) model!: string;
  @Field(() => RoutingPolicy) policy!: RoutingPolicy;
  @Field(() => [String], { description: "Cheapest first; the last is the top tier." }) tiers!: string[];
  @Field(() => [RoutingSavingsRow], { description: "One per bucket with calls, in time order; one row without a bucket." }) rows!: RoutingSavingsRow[];
  @Field(() => RoutingSavingsRow) totals!: RoutingSavingsRow;
}
