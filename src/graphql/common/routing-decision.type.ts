import { Field, Float, ID, ObjectType, registerEnumType } from "type-graphql";
import type { RoutingDecision } from "../../core/index.js";

export enum RoutingPolicy {
  QUALITY = "quality",
  CASCADE = "cascade",
}
registerEnumType(RoutingPolicy, { name: "RoutingPolicy", description: "How a group over other groups chose the tier: classifier (quality) or cascade." });

@ObjectType("RoutingDecision", { description: "How a quality or cascade group routed a call.", simpleResolvers: true })
export class RoutingDecisionView {
  @Field(() => RoutingPolicy) policy!: RoutingPolicy;
  @Field(() => Float, { nullable: true, description: "The router's score of the prompt in [0, 1] (the estimate that it needs the stronger tier)." }) score!: number | null;
  @Field(() => Float, { nullable: true, description: "The threshold the score was compared with (a cascade: its score check)." }) threshold!: number | null;
  @Field(() => String, { description: "The tier group the call was sent to." }) tier!: string;
  @Field(() => String, { description: "Why, in words: `score 0.62 ≥ 0.5`, `check minLength failed: …`." }) reason!: string;
  @Field(() => ID, { nullable: true, description: "A cascade's escalated call: the cheaper call whose answer failed its checks." }) escalatedFrom!: string | null;
}

export function toRoutingDecisionView(decision: RoutingDecision | null | undefined, escalatedFrom: string | null | undefined): RoutingDecisionView | null {
  if (!decision) return null;
  return Object.assign(new RoutingDecisionView(), { ...decision, policy: decision.policy as RoutingPolicy, escalatedFrom: escalatedFrom ?? null });
}
