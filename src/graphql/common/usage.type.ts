import { Field, Int, ObjectType } from "type-graphql";

@ObjectType("Usage", { description: "Token usage of one completion." })
export class UsageView {
  @Field(() => Int) promptTokens!: number;
  @Field(() => Int) completionTokens!: number;
  @Field(() => Int) totalTokens!: number;
  @Field(() => Int, { description: "Of promptTokens, the ones served from the provider's prompt cache." }) cachedTokens!: number;
  @Field(() => Int) reasoningTokens!: number;
}
