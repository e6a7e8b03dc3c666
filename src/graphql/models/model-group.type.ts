import { Field, Float, Int, ObjectType } from "type-graphql";
import { RoutingPolicy } from "../common/routing-decision.type.js";

@ObjectType("Capabilities", { description: "What a deployment's model can do: from the price catalog, overridden by the config." })
export class CapabilitiesView {
  @Field(() => Boolean) tools!: boolean;
  @Field(() => Boolean) vision!: boolean;
  @Field(() => Boolean, { description: "Structured output against a JSON schema." }) jsonSchema!: boolean;
  @Field(() => Boolean, { description: "Reports usage at the end of a stream." }) streamingUsage!: boolean;
}

@ObjectType("Deployment")
export class DeploymentView {
  @Field(() => String) id!: string;
  @Field(() => String) provider!: string;
  @Field(() => String, { description: "The provider's model name." }) model!: string;
  @Field(() => Float) weight!: number;
  @Field(() => Int, { nullable: true, description: "Input tokens accepted." }) contextWindow?: number;
  @Field(() => Int, { nullable: true }) maxOutputTokens?: number;
  @Field(() => Float, { nullable: true, description: "USD per million input tokens." }) inputPerMTok?: number;
  @Field(() => Float, { nullable: true, description: "USD per million output tokens." }) outputPerMTok?: number;
  @Field(() => Float, { nullable: true, description: "USD per million cached input tokens." }) cachedInputPerMTok?: number;
  @Field(() => CapabilitiesView) capabilities!: CapabilitiesView;
}

@ObjectType("ModelGroup")
export class ModelGroup {
  @Field(() => String) name!: string;
  @Field(() => [String]) aliases!: string[];
  @Field(() => String) strategy!: string;
  @Field(() => [String]) fallbacks!: string[];
  @Field(() => [DeploymentView], { description: "Empty for a quality or cascade group." }) deployments!: DeploymentView[];
  @Field(() => RoutingPolicy, { nullable: true, description: "Set for a group that routes over other groups (its tiers)." }) routingPolicy?: RoutingPolicy;
  @Field(() => [String], { nullable: true, description: "The tier groups, cheapest first." }) tiers?: string[];
  @Field(() => [Float], {
    nullable: true,
    description: "A quality group's thresholds as it routes now, one per boundary (strongShare already turned into one; moved by feedback with quality.adapt, per instance).",
  })
  thresholds?: number[];
  @Field(() => [Float], { nullable: true, description: "A quality group's thresholds as configured, before any feedback moved them." })
  configuredThresholds?: number[];
}
