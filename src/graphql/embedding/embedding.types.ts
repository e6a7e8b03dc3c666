import { Field, Float, ID, InputType, Int, ObjectType } from "type-graphql";
import { JSONScalar } from "../common/scalars.js";

@InputType("EmbeddingInput")
export class EmbeddingInput {
  @Field(() => String, { description: "A model group or an alias whose deployments embed." }) model!: string;
  @Field(() => [String], { description: "One text per vector (at most 2048)." }) input!: string[];
  @Field(() => Int, { nullable: true, description: "Shorter vectors, where the model can." }) dimensions?: number | null;
  @Field(() => JSONScalar, { nullable: true, description: "Free tags kept with the call for analytics." }) metadata?: Record<string, unknown> | null;
  @Field(() => String, { nullable: true, description: "End-user id." }) user?: string | null;
}

@ObjectType("Embedding", { description: "Embeddings, routed, priced and recorded as a call of kind EMBEDDING." })
export class Embedding {
  @Field(() => ID, { description: "The call's id (see `call`)." }) callId!: string;
  @Field(() => String) modelGroup!: string;
  @Field(() => String) deployment!: string;
  @Field(() => String) provider!: string;
  @Field(() => String, { description: "The provider model that answered." }) model!: string;
  @Field(() => [[Float]], { description: "One vector per input text, in order." }) vectors!: number[][];
  @Field(() => Int) promptTokens!: number;
  @Field(() => Float) costUsd!: number;
  @Field(() => String, { description: "The exact cost as a decimal string." }) costUsdExact!: string;
  @Field(() => Float) latencyMs!: number;
}
