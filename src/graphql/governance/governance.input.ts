import { Field, Float, ID, InputType, Int } from "type-graphql";
import { DateTimeScalar, JSONScalar } from "../common/scalars.js";
import { BudgetPeriodEnum } from "./governance.type.js";

@InputType("BudgetInput")
export class BudgetInput {
  @Field(() => Float) limitUsd!: number;
  @Field(() => BudgetPeriodEnum, { defaultValue: BudgetPeriodEnum.LIFETIME }) period!: BudgetPeriodEnum;
}

@InputType("TeamInput")
export class TeamInput {
  @Field(() => String) name!: string;
  @Field(() => BudgetInput, { nullable: true }) budget?: BudgetInput | null;
  @Field(() => Int, { nullable: true }) rpm?: number | null;
  @Field(() => Int, { nullable: true }) tpm?: number | null;
  @Field(() => Int, { nullable: true }) maxParallel?: number | null;
  @Field(() => JSONScalar, { nullable: true }) metadata?: Record<string, unknown> | null;
}

@InputType("TeamPatch", { description: "Fields left out stay as they are; null clears a limit, the budget or the metadata." })
export class TeamPatch {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => BudgetInput, { nullable: true }) budget?: BudgetInput | null;
  @Field(() => Int, { nullable: true }) rpm?: number | null;
  @Field(() => Int, { nullable: true }) tpm?: number | null;
  @Field(() => Int, { nullable: true }) maxParallel?: number | null;
  @Field(() => JSONScalar, { nullable: true }) metadata?: Record<string, unknown> | null;
}

@InputType("VirtualKeyInput")
export class VirtualKeyInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => ID, { nullable: true }) teamId?: string | null;
  @Field(() => [String], { nullable: true, description: "Globs over model groups and aliases (\"fast\", \"gpt-4o*\"); absent = every model." })
  allowedModels?: string[] | null;
  @Field(() => BudgetInput, { nullable: true }) budget?: BudgetInput | null;
  @Field(() => BudgetInput, { nullable: true, description: "Applies to each end user (`user` of a request) separately." }) endUserBudget?: BudgetInput | null;
  @Field(() => Int, { nullable: true, description: "Requests per minute." }) rpm?: number | null;
  @Field(() => Int, { nullable: true, description: "Tokens (prompt + completion) per minute." }) tpm?: number | null;
  @Field(() => Int, { nullable: true, description: "Calls in flight at once." }) maxParallel?: number | null;
  @Field(() => DateTimeScalar, { nullable: true }) expiresAt?: Date | null;
  @Field(() => [String], { nullable: true }) tags?: string[] | null;
  @Field(() => Boolean, {
    nullable: true,
    description: "May run only the GraphQL operations of the safelist (config server.graphql.safelist) and no /v1 door: for keys that live in browsers. Absent on create = false.",
  })
  safelistOnly?: boolean | null;
  @Field(() => JSONScalar, { nullable: true }) metadata?: Record<string, unknown> | null;
}

@InputType("VirtualKeyPatch", { description: "Fields left out stay as they are; null clears a field." })
export class VirtualKeyPatch extends VirtualKeyInput {}
