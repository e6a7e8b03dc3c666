import { Field, Int, ObjectType } from "type-graphql";

@ObjectType("Usage", { description: "Token usage of one completion.", simpleResolvers: true })
export class UsageView {
  @Field(() => Int) promptTokens!: number;
  @Field(() => Int) completionTokens!: number;
  @Field(() => Int) totalTokens!: number;
  @Field(() => Int, { description: "Of promptTokens, the ones read from the provider's prompt cache (priced at the cache-read rate)." }) cachedTokens!: number;
  @Field(() => Int, { description: "Of promptTokens, the ones written to the provider's prompt cache (Anthropic, Bedrock; priced at the cache-write rate)." })
  cacheWriteTokens!: number;
  @Field(() => Int) reasoningTokens!: number;
}
