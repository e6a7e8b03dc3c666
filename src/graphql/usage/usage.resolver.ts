import type { GraphQLResolveInfo } from "graphql";
import { Arg, Ctx, Info, Query, Resolver } from "type-graphql";
import type { UsageRow as UsageRowData } from "../../db/index.js";
import { TimeBucket, UsageDimension } from "../common/enums.js";
import type { GraphQLContext } from "../context.js";
import { toGraphQLError } from "../to-graphql-error.js";
import { selectsFieldWithin } from "../common/selects-field.js";
import { groupNames } from "./group-names.js";
import { UsageFilter, UsageReport, UsageRow } from "./usage.type.js";

const LATENCY_FIELDS = ["latencyP50Ms", "latencyP95Ms", "latencyP99Ms"];
const TTFT_FIELDS = ["ttftP50Ms", "ttftP95Ms", "ttftP99Ms"];

@Resolver()
export class UsageResolver {
  @Query(() => UsageReport, { description: "Requests, errors, tokens, exact cost and latency percentiles, grouped and bucketed." })
  async usage(
    @Ctx() context: GraphQLContext,
    @Arg("filter", () => UsageFilter, { nullable: true }) filter?: UsageFilter | null,
    @Arg("groupBy", () => [UsageDimension], { nullable: true }) groupBy?: UsageDimension[] | null,
    @Arg("bucket", () => TimeBucket, { nullable: true }) bucket?: TimeBucket | null,
    @Info() info?: GraphQLResolveInfo,
  ): Promise<UsageReport> {
    const dimensions = groupBy ?? [];
    // Percentiles nobody asked for are not computed (merging the sketches is most of the work).
    const asks = (names: string[]) => info === undefined || selectsFieldWithin(info, ["rows", "totals"], names);
    try {
      const report = await context.services.usage.usage({
        filter: {
          from: filter?.from ?? undefined,
          to: filter?.to ?? undefined,
          modelGroup: filter?.model ?? undefined,
          provider: filter?.provider ?? undefined,
          deployment: filter?.deployment ?? undefined,
          status: filter?.status ?? undefined,
          endUser: filter?.user ?? undefined,
          keyId: filter?.key ?? undefined,
          teamId: filter?.team ?? undefined,
          tag: filter?.tag ?? undefined,
          requestedModels: filter?.requestedModel != null ? groupNames(context.services.models(), filter.requestedModel) : undefined,
        },
        groupBy: dimensions,
        bucket: bucket ?? undefined,
        percentiles: { latency: asks(LATENCY_FIELDS), ttft: asks(TTFT_FIELDS) },
      });
      return { totals: toUsageRowView(report.totals), rows: report.rows.map(toUsageRowView) };
    } catch (error) {
      throw toGraphQLError(error);
    }
  }
}

function toUsageRowView(row: UsageRowData): UsageRow {
  return Object.assign(new UsageRow(), { ...row, costUsd: Number(row.costUsd), costUsdExact: row.costUsd });
}
