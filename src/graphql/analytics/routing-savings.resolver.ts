import { Arg, Ctx, Query, Resolver } from "type-graphql";
import { picoToUsdNumber, picoToUsdString } from "../../accounting/index.js";
import type { SavingsWindow } from "../../gateway/create-routing-savings.js";
import { TimeBucket } from "../common/enums.js";
import type { RoutingPolicy } from "../common/routing-decision.type.js";
import type { GraphQLContext } from "../context.js";
import { toGraphQLError } from "../to-graphql-error.js";
import { RoutingSavingsFilter, RoutingSavingsReport, RoutingSavingsRow } from "./routing-savings.types.js";

@Resolver()
export class RoutingSavingsResolver {
  @Query(() => RoutingSavingsReport, {
    description:
      "A quality or cascade group's savings per time bucket: what its calls cost against what the same requests would have cost on its top tier, the top tier's share of requests, and cascade escalations. A virtual key sees only its own calls.",
  })
  async routingSavings(
    @Arg("filter", () => RoutingSavingsFilter) filter: RoutingSavingsFilter,
    @Ctx() context: GraphQLContext,
    @Arg("bucket", () => TimeBucket, { nullable: true }) bucket?: TimeBucket | null,
  ): Promise<RoutingSavingsReport> {
    try {
      const report = await context.services.analytics.routingSavings.compute({
        model: filter.model,
        ...(filter.from ? { from: filter.from } : {}),
        ...(filter.to ? { to: filter.to } : {}),
        ...(bucket ? { bucket } : {}),
      });
      return Object.assign(new RoutingSavingsReport(), {
        model: report.group.name,
        policy: report.group.policy as RoutingPolicy,
        tiers: [...report.group.tiers],
        rows: report.windows.map(toRowView),
        totals: toRowView(report.totals),
      });
    } catch (error) {
      throw toGraphQLError(error);
    }
  }
}

function toRowView(window: SavingsWindow): RoutingSavingsRow {
  const saved = window.topTierPico - window.actualPico;
  return Object.assign(new RoutingSavingsRow(), {
    bucketStart: window.bucketStart,
    calls: window.calls,
    requests: window.requests,
    strongRequests: window.strongRequests,
    strongShare: window.requests === 0 ? null : window.strongRequests / window.requests,
    escalations: window.escalations,
    costUsd: picoToUsdNumber(window.actualPico),
    costUsdExact: picoToUsdString(window.actualPico),
    topTierCostUsd: picoToUsdNumber(window.topTierPico),
    topTierCostUsdExact: picoToUsdString(window.topTierPico),
    savedUsd: picoToUsdNumber(saved),
    savedUsdExact: picoToUsdString(saved),
  });
}
