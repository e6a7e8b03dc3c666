import { Field, InputType } from "type-graphql";
import { DateTimeScalar } from "../common/scalars.js";

@InputType("TimeWindowInput", { description: "A time range [from, to)." })
export class TimeWindowInput {
  @Field(() => DateTimeScalar, { description: "Inclusive." }) from!: Date;
  @Field(() => DateTimeScalar, { description: "Exclusive." }) to!: Date;
}
