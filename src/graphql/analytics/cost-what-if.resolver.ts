import { Arg, Ctx, Query, Resolver } from "type-graphql";
import { picoToUsdNumber, picoToUsdString } from "../../accounting/index.js";
import type { WhatIfLine } from "../../gateway/create-cost-what-if.js";
import type { GraphQLContext } from "../context.js";
import { toGraphQLError } from "../to-graphql-error.js";
import { CostWhatIfChanges, CostWhatIfLine, CostWhatIfReport } from "./cost-what-if.types.js";
import { TimeWindowInput } from "./time-window.input.js";

@Resolver()
export class CostWhatIfResolver {
  @Query(() => CostWhatIfReport, {
    description: "Re-prices the calls of a window (their recorded tokens) under other prices and/or another model mapping. A virtual key sees only its own calls.",
  })
  async costWhatIf(
    @Arg("window", () => TimeWindowInput) window: TimeWindowInput,
    @Arg("changes", () => CostWhatIfChanges) changes: CostWhatIfChanges,
    @Ctx() context: GraphQLContext,
  ): Promise<CostWhatIfReport> {
    try {
      const result = await context.services.analytics.costWhatIf.compute(window, {
        prices: (changes.prices ?? []).map((p) => ({
          model: p.model,
          inputPerMTok: p.inputPerMTok,
          outputPerMTok: p.outputPerMTok,
          ...(p.cachedInputPerMTok != null ? { cachedInputPerMTok: p.cachedInputPerMTok } : {}),
        })),
        modelMap: (changes.modelMap ?? []).map(({ from, to }) => ({ from, to })),
      });
      const tokens = (pick: (line: WhatIfLine) => bigint) => result.byModel.reduce((sum, line) => sum + pick(line), 0n);
      return Object.assign(new CostWhatIfReport(), {
        from: window.from,
        to: window.to,
        byModel: result.byModel.map(toLineView),
        totals: toLineView({
          model: null,
          provider: null,
          pricedAs: null,
          requests: result.totals.requests,
          promptTokens: tokens((l) => l.promptTokens),
          cachedTokens: tokens((l) => l.cachedTokens),
          cacheWriteTokens: tokens((l) => l.cacheWriteTokens),
          completionTokens: tokens((l) => l.completionTokens),
          actualPico: result.totals.actualPico,
          whatIfPico: result.totals.whatIfPico,
        }),
      });
    } catch (error) {
      throw toGraphQLError(error);
    }
  }
}

type LineData = Omit<WhatIfLine, "model" | "provider"> & { model: string | null; provider: string | null };

function toLineView(line: LineData): CostWhatIfLine {
  const difference = line.whatIfPico - line.actualPico;
  return Object.assign(new CostWhatIfLine(), {
    model: line.model,
    provider: line.provider,
    pricedAs: line.pricedAs,
    requests: line.requests,
    promptTokens: Number(line.promptTokens),
    cachedTokens: Number(line.cachedTokens),
    cacheWriteTokens: Number(line.cacheWriteTokens),
    completionTokens: Number(line.completionTokens),
    actualCostUsd: picoToUsdNumber(line.actualPico),
    actualCostUsdExact: picoToUsdString(line.actualPico),
    whatIfCostUsd: picoToUsdNumber(line.whatIfPico),
    whatIfCostUsdExact: picoToUsdString(line.whatIfPico),
    differenceUsd: picoToUsdNumber(difference),
    differenceUsdExact: picoToUsdString(difference),
  });
}
