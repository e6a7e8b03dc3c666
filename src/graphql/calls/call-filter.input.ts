import { Field, InputType } from "type-graphql";
import { CallStatus } from "../common/enums.js";
import { DateTimeScalar } from "../common/scalars.js";

@InputType("CallFilter")
export class CallFilter {
  @Field(() => DateTimeScalar, { nullable: true, description: "Inclusive." }) from?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true, description: "Exclusive." }) to?: Date | null;
  @Field(() => String, { nullable: true, description: "Model group (aliases resolved)." }) model?: string | null;
  @Field(() => String, { nullable: true }) provider?: string | null;
  @Field(() => String, { nullable: true }) deployment?: string | null;
  @Field(() => CallStatus, { nullable: true }) status?: CallStatus | null;
  @Field(() => String, { nullable: true }) user?: string | null;
}
