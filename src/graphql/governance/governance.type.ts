import { Field, Float, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { DateTimeScalar, JSONScalar } from "../common/scalars.js";

export enum BudgetPeriodEnum {
  DAILY = "daily",
  WEEKLY = "weekly",
  MONTHLY = "monthly",
  LIFETIME = "lifetime",
}
registerEnumType(BudgetPeriodEnum, { name: "BudgetPeriod", description: "When a budget starts again from zero (UTC; weeks start on Monday)." });

export enum PrincipalKind {
  ADMIN = "ADMIN",
  VIRTUAL_KEY = "VIRTUAL_KEY",
}
registerEnumType(PrincipalKind, { name: "PrincipalKind" });

@ObjectType("Budget", { description: "A budget and where its current period stands." })
export class BudgetView {
  @Field(() => Float) limitUsd!: number;
  @Field(() => String, { description: "The limit as an exact decimal string." }) limitUsdExact!: string;
  @Field(() => BudgetPeriodEnum) period!: BudgetPeriodEnum;
  @Field(() => Float, { description: "Settled spend in the current period." }) spentUsd!: number;
  @Field(() => String) spentUsdExact!: string;
  @Field(() => Float, { description: "Held for calls in flight (their worst case)." }) reservedUsd!: number;
  @Field(() => Float, { description: "limit − spent − reserved." }) remainingUsd!: number;
  @Field(() => DateTimeScalar) periodStart!: Date;
  @Field(() => DateTimeScalar, { nullable: true, description: "When the budget resets; null for LIFETIME." }) periodEnd!: Date | null;
}

@ObjectType("BudgetSetting", { description: "A budget setting that applies to each end user separately." })
export class BudgetSetting {
  @Field(() => Float) limitUsd!: number;
  @Field(() => BudgetPeriodEnum) period!: BudgetPeriodEnum;
}

@ObjectType("Team")
export class TeamView {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => BudgetView, { nullable: true }) budget!: BudgetView | null;
  @Field(() => Int, { nullable: true }) rpm!: number | null;
  @Field(() => Int, { nullable: true }) tpm!: number | null;
  @Field(() => Int, { nullable: true }) maxParallel!: number | null;
  @Field(() => JSONScalar, { nullable: true }) metadata!: Record<string, unknown> | null;
  @Field(() => DateTimeScalar) createdAt!: Date;
}

@ObjectType("VirtualKey", { description: "A virtual key; its secret is never shown again after creation." })
export class VirtualKeyView {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => String, { description: "The first characters of the secret, to recognise it." }) keyPrefix!: string;
  @Field(() => ID, { nullable: true }) teamId!: string | null;
  @Field(() => TeamView, { nullable: true }) team!: TeamView | null;
  @Field(() => [String], { description: "Globs over model groups and aliases; empty = every model." }) allowedModels!: string[];
  @Field(() => BudgetView, { nullable: true }) budget!: BudgetView | null;
  @Field(() => BudgetSetting, { nullable: true }) endUserBudget!: BudgetSetting | null;
  @Field(() => Int, { nullable: true }) rpm!: number | null;
  @Field(() => Int, { nullable: true }) tpm!: number | null;
  @Field(() => Int, { nullable: true }) maxParallel!: number | null;
  @Field(() => DateTimeScalar, { nullable: true }) expiresAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) revokedAt!: Date | null;
  @Field(() => Boolean, { description: "Neither revoked nor expired." }) active!: boolean;
  @Field(() => [String]) tags!: string[];
  @Field(() => Boolean, { description: "May run only the GraphQL operations of the safelist, and no /v1 door." }) safelistOnly!: boolean;
  @Field(() => JSONScalar, { nullable: true }) metadata!: Record<string, unknown> | null;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar) updatedAt!: Date;
}

@ObjectType("CreatedVirtualKey")
export class CreatedVirtualKey {
  @Field(() => VirtualKeyView) key!: VirtualKeyView;
  @Field(() => String, { description: "The secret (sk-sy-…): shown this once, stored only as a hash." }) secret!: string;
}

@ObjectType("RotatedVirtualKey")
export class RotatedVirtualKey {
  @Field(() => VirtualKeyView) key!: VirtualKeyView;
  @Field(() => String, { description: "The new secret (sk-sy-…): shown this once, stored only as a hash." }) secret!: string;
  @Field(() => DateTimeScalar, { description: "Until when the secret before the rotation is still accepted." }) previousSecretValidUntil!: Date;
}

@ObjectType("DeletedTeam", { description: "A deleted team, and what happened to its keys." })
export class DeletedTeam {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => Int, { description: "Active keys revoked with the team (revokeKeys: true)." }) revokedKeys!: number;
  @Field(() => Int, { description: "Keys of the team, now without a team (revoked ones included)." }) detachedKeys!: number;
}

@ObjectType("Principal", { description: "Who is calling." })
export class PrincipalView {
  @Field(() => PrincipalKind) kind!: PrincipalKind;
  @Field(() => Boolean, { description: "True when no master key is configured and anyone is admin." }) openMode!: boolean;
  @Field(() => VirtualKeyView, { nullable: true }) key!: VirtualKeyView | null;
}
