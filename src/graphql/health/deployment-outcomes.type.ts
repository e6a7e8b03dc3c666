import { Field, Float, Int, ObjectType } from "type-graphql";
import { DateTimeScalar } from "../common/scalars.js";

@ObjectType("ErrorKindCount", { description: "How many attempts failed with one error kind." })
export class ErrorKindCount {
  @Field(() => String, { description: "rate_limit, server, timeout, connection, bad_request, …" }) kind!: string;
  @Field(() => Int) count!: number;
}

@ObjectType("DeploymentOutcomes", {
  description:
    "A deployment's stored attempt outcomes over a recent window, from every gateway instance (the call log, including calls written but not yet merged into the rollups).",
})
export class DeploymentOutcomes {
  @Field(() => Int) windowMinutes!: number;
  @Field(() => DateTimeScalar, { description: "Start of the window: whole minutes, so up to a minute more than windowMinutes is covered." }) since!: Date;
  @Field(() => Int, { description: "Every attempt: retries, fallbacks and hedges included." }) attempts!: number;
  @Field(() => Int) succeeded!: number;
  @Field(() => Int, { description: "Failed attempts that say something about the deployment (rate limits, server errors, timeouts, connection, auth …), not bad requests." })
  failed!: number;
  @Field(() => Float, { description: "failed ÷ (succeeded + failed); 0 when there were none." }) errorRate!: number;
  @Field(() => Int) cancelled!: number;
  @Field(() => Int, { description: "Attempts started as hedges." }) hedged!: number;
  @Field(() => [ErrorKindCount], { description: "Every failed attempt by error kind, the caller's own errors included." }) errorKinds!: ErrorKindCount[];
  @Field(() => Float, { nullable: true, description: "Of successful attempts (2% relative error)." }) latencyP50Ms!: number | null;
  @Field(() => Float, { nullable: true }) latencyP95Ms!: number | null;
}
