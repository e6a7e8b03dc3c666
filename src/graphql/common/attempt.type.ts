import { Field, Float, Int, ObjectType } from "type-graphql";
import { AttemptOutcome } from "./enums.js";
import { DateTimeScalar } from "./scalars.js";

@ObjectType("Attempt", { description: "One try of a call against one deployment.", simpleResolvers: true })
export class AttemptView {
  @Field(() => Int) index!: number;
  @Field(() => String) modelGroup!: string;
  @Field(() => String) deployment!: string;
  @Field(() => String) provider!: string;
  @Field(() => String) providerModel!: string;
  @Field(() => AttemptOutcome) outcome!: AttemptOutcome;
  @Field(() => String, { nullable: true, description: "rate_limit, overloaded, server, timeout, connection, …" }) errorClass!: string | null;
  @Field(() => String, { nullable: true }) errorMessage!: string | null;
  @Field(() => Int, { nullable: true }) httpStatus!: number | null;
  @Field(() => DateTimeScalar) startedAt!: Date;
  @Field(() => Float) latencyMs!: number;
  @Field(() => Boolean) hedged!: boolean;
  @Field(() => Float) costUsd!: number;
}
