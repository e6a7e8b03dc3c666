import { Field, Float, Int, ObjectType, registerEnumType } from "type-graphql";
import { DateTimeScalar } from "../common/scalars.js";

export enum HealthStatus {
  HEALTHY = "HEALTHY",
  DEGRADED = "DEGRADED",
  COOLING_DOWN = "COOLING_DOWN",
  UNKNOWN = "UNKNOWN",
}
registerEnumType(HealthStatus, { name: "HealthStatus" });

@ObjectType("DeploymentHealth", { description: "One deployment's health: the router's live state, and (`recent`) what every instance stored over the last minutes." })
export class DeploymentHealth {
  @Field(() => String) deployment!: string;
  @Field(() => String, { description: "The model group." }) model!: string;
  @Field(() => String) provider!: string;
  @Field(() => HealthStatus, {
    description:
      "The router's live status. When this instance has no live samples of the deployment (just started, or no traffic), the last five " +
      "minutes of stored outcomes from every instance decide (see `recent`): DEGRADED at an error rate of 10% or more, else HEALTHY; UNKNOWN without any.",
  })
  status!: HealthStatus;
  @Field(() => Float, { description: "Failed ÷ all attempts over the last five minutes, as this instance's router saw them (see `recent` for every instance's)." })
  errorRate!: number;
  @Field(() => Int) attempts!: number;
  @Field(() => Float, { nullable: true }) latencyP50Ms!: number | null;
  @Field(() => Float, { nullable: true }) latencyP95Ms!: number | null;
  @Field(() => Float, { nullable: true }) ttftP50Ms!: number | null;
  @Field(() => Int, { nullable: true }) rpmUsed!: number | null;
  @Field(() => Int, { nullable: true }) rpmLimit!: number | null;
  @Field(() => Int, { nullable: true }) tpmUsed!: number | null;
  @Field(() => Int, { nullable: true }) tpmLimit!: number | null;
  @Field(() => DateTimeScalar, { nullable: true }) cooldownUntil!: Date | null;
  @Field(() => String, { nullable: true }) lastError!: string | null;
  @Field(() => Int) inFlight!: number;
}
