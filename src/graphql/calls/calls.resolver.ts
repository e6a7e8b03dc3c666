import type { GraphQLResolveInfo } from "graphql";
import { Arg, Ctx, FieldResolver, ID, Info, Int, Query, Resolver, Root } from "type-graphql";
import { selectsField } from "../common/selects-field.js";
import { badInput } from "../../core/index.js";
import { AttemptView } from "../common/attempt.type.js";
import type { AttemptOutcome } from "../common/enums.js";
import type { GraphQLContext } from "../context.js";
import { toGraphQLError } from "../to-graphql-error.js";
import { Call, CallConnection } from "./call.type.js";
import { CallFilter } from "./call-filter.input.js";
import { toCallView } from "./to-call-view.js";

const MAX_PAGE = 200;

@Resolver(() => Call)
export class CallsResolver {
  @Query(() => CallConnection, { description: "Persisted calls, newest first, with cursor pagination (at most 200 a page)." })
  async calls(
    @Ctx() context: GraphQLContext,
    @Arg("filter", () => CallFilter, { nullable: true }) filter?: CallFilter | null,
    @Arg("first", () => Int, { nullable: true }) first?: number | null,
    @Arg("after", () => String, { nullable: true }) after?: string | null,
    @Info() info?: GraphQLResolveInfo,
  ): Promise<CallConnection> {
    const size = first ?? 50;
    if (size < 0 || size > MAX_PAGE) throw toGraphQLError(badInput(`first: must be between 0 and ${MAX_PAGE}`, { field: "first" }));
    try {
      const page = await context.services.calls.listCalls({
        filter: {
          from: filter?.from ?? undefined,
          to: filter?.to ?? undefined,
          modelGroup: filter?.model ?? undefined,
          provider: filter?.provider ?? undefined,
          deployment: filter?.deployment ?? undefined,
          status: filter?.status ?? undefined,
          endUser: filter?.user ?? undefined,
        },
        first: size,
        after: after ?? undefined,
        // The count is a rollup read (cheap, but a query): only when the query asks for totalCount.
        withTotal: info === undefined || selectsField(info, "totalCount"),
      });
      return {
        edges: page.rows.map((row, i) => ({ cursor: page.cursors[i]!, node: toCallView(row) })),
        pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
        totalCount: page.totalCount ?? 0,
      };
    } catch (error) {
      throw toGraphQLError(error);
    }
  }

  @Query(() => Call, { nullable: true })
  async call(@Arg("id", () => ID) id: string, @Ctx() context: GraphQLContext): Promise<Call | null> {
    const row = await context.services.calls.getCall(id);
    return row ? toCallView(row) : null;
  }

  @FieldResolver(() => [AttemptView])
  async attempts(@Root() call: Call, @Ctx() context: GraphQLContext): Promise<AttemptView[]> {
    const rows = await context.loaders.attemptsByCall.load({ id: call.id, createdAt: call.createdAt, latencyMs: call.latencyMs, attemptCount: call.attemptCount });
    return rows.map((row) =>
      Object.assign(new AttemptView(), {
        index: row.index,
        modelGroup: row.modelGroup,
        deployment: row.deployment,
        provider: row.provider,
        providerModel: row.providerModel,
        outcome: row.outcome as AttemptOutcome,
        errorClass: row.errorKind,
        errorMessage: row.errorMessage,
        httpStatus: row.httpStatus,
        startedAt: row.startedAt,
        latencyMs: row.latencyMs,
        hedged: row.hedged,
        costUsd: Number(row.costUsd),
      }),
    );
  }
}
