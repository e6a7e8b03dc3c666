import { Field, Float, ObjectType } from "type-graphql";
import { DateTimeScalar } from "../common/scalars.js";

@ObjectType("CallFeedback", { description: "A score recorded for a call with recordFeedback." })
export class CallFeedback {
  @Field(() => Float) score!: number;
  @Field(() => String, { nullable: true }) comment!: string | null;
  @Field(() => String, { nullable: true, description: "The virtual key that recorded it; null for the master key." }) keyId!: string | null;
  @Field(() => DateTimeScalar) recordedAt!: Date;
}
