import { Field, Float, ID, Int, ObjectType } from "type-graphql";
import { CallKind, CallStatus } from "../common/enums.js";
import { RoutingDecisionView } from "../common/routing-decision.type.js";
import { DateTimeScalar, JSONScalar } from "../common/scalars.js";

@ObjectType("Call", { description: "One persisted call." })
export class Call {
  @Field(() => ID) id!: string;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => String) requestedModel!: string;
  @Field(() => String, { nullable: true }) modelGroup!: string | null;
  @Field(() => String, { nullable: true }) provider!: string | null;
  @Field(() => String, { nullable: true }) deployment!: string | null;
  @Field(() => String, { nullable: true }) providerModel!: string | null;
  @Field(() => CallStatus) status!: CallStatus;
  @Field(() => String, { nullable: true }) errorKind!: string | null;
  @Field(() => String, { nullable: true }) errorMessage!: string | null;
  @Field(() => String, { nullable: true }) finishReason!: string | null;
  @Field(() => Boolean) streamed!: boolean;
  @Field(() => Int) promptTokens!: number;
  @Field(() => Int) completionTokens!: number;
  @Field(() => Int, { description: "Of promptTokens, the ones read from the provider's prompt cache." }) cachedTokens!: number;
  @Field(() => Int, { description: "Of promptTokens, the ones written to the provider's prompt cache (Anthropic, Bedrock), priced at the cache-write rate." })
  cacheWriteTokens!: number;
  @Field(() => Float) costUsd!: number;
  @Field(() => CallKind) kind!: CallKind;
  @Field(() => Boolean, { description: "An attempt ran on a deployment with no known price: costUsd leaves it out (unknown, not free)." })
  unpriced!: boolean;
  @Field(() => String, { description: "The exact cost as a decimal string." }) costUsdExact!: string;
  @Field(() => Float) latencyMs!: number;
  @Field(() => Float, { nullable: true }) ttftMs!: number | null;
  @Field(() => Int) attemptCount!: number;
  @Field(() => String, { nullable: true }) keyId!: string | null;
  @Field(() => String, { nullable: true }) teamId!: string | null;
  @Field(() => String, { nullable: true }) user!: string | null;
  @Field(() => JSONScalar, { nullable: true }) metadata!: Record<string, unknown> | null;
  @Field(() => RoutingDecisionView, { nullable: true, description: "Quality routing and cascades: the decision behind this call (null for a plain group)." })
  routing!: RoutingDecisionView | null;
}

@ObjectType("CallEdge")
export class CallEdge {
  @Field(() => String) cursor!: string;
  @Field(() => Call) node!: Call;
}

@ObjectType("PageInfo")
export class PageInfo {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

@ObjectType("CallConnection", { description: "Relay-style cursor pagination, newest first." })
export class CallConnection {
  @Field(() => [CallEdge]) edges!: CallEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int, { description: "Every call matching the filter (ignoring the cursor), exact, counted from the usage rollups." }) totalCount!: number;
}
