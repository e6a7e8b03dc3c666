import { Field, Float, InputType, Int, ObjectType } from "type-graphql";
import { DateTimeScalar } from "../common/scalars.js";

@InputType("WhatIfPriceInput")
export class WhatIfPriceInput {
  @Field(() => String, { description: "A provider model as recorded (e.g. gpt-4o-mini), or a modelMap target." }) model!: string;
  @Field(() => Float) inputPerMTok!: number;
  @Field(() => Float) outputPerMTok!: number;
  @Field(() => Float, { nullable: true, description: "Absent: cached input tokens cost the input rate." }) cachedInputPerMTok?: number | null;
}

@InputType("WhatIfModelMapInput")
export class WhatIfModelMapInput {
  @Field(() => String, { description: "Calls served by this provider model…" }) from!: string;
  @Field(() => String, { description: "…are priced as this one (from prices, else the catalog)." }) to!: string;
}

@InputType("CostWhatIfChanges")
export class CostWhatIfChanges {
  @Field(() => [WhatIfPriceInput], { nullable: true, description: "At most 100." }) prices?: WhatIfPriceInput[] | null;
  @Field(() => [WhatIfModelMapInput], { nullable: true, description: "At most 100." }) modelMap?: WhatIfModelMapInput[] | null;
}

@ObjectType("CostWhatIfLine", { description: "Actual and what-if cost of a set of calls; exact strings beside the Floats." })
export class CostWhatIfLine {
  @Field(() => String, { nullable: true, description: "The provider model that served the calls; null in the totals." }) model!: string | null;
  @Field(() => String, { nullable: true }) provider!: string | null;
  @Field(() => String, { nullable: true, description: "The model whose price was applied; null when the recorded cost stands." }) pricedAs!: string | null;
  @Field(() => Int) requests!: number;
  @Field(() => Float) promptTokens!: number;
  @Field(() => Float) cachedTokens!: number;
  @Field(() => Float, { description: "Of promptTokens, the ones written to the provider's prompt cache (priced at the cache-write rate)." }) cacheWriteTokens!: number;
  @Field(() => Float) completionTokens!: number;
  @Field(() => Float) actualCostUsd!: number;
  @Field(() => String) actualCostUsdExact!: string;
  @Field(() => Float) whatIfCostUsd!: number;
  @Field(() => String) whatIfCostUsdExact!: string;
  @Field(() => Float, { description: "whatIf − actual." }) differenceUsd!: number;
  @Field(() => String) differenceUsdExact!: string;
}

@ObjectType("CostWhatIfReport")
export class CostWhatIfReport {
  @Field(() => DateTimeScalar) from!: Date;
  @Field(() => DateTimeScalar) to!: Date;
  @Field(() => [CostWhatIfLine], { description: "Ordered by model, then provider." }) byModel!: CostWhatIfLine[];
  @Field(() => CostWhatIfLine) totals!: CostWhatIfLine;
}
