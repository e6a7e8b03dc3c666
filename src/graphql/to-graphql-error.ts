import { GraphQLError } from "graphql";
import { describeError } from "../core/index.js";

/** Domain error → GraphQLError with `extensions.code` (and the error's client-safe details). */
export function toGraphQLError(error: unknown, extra: Record<string, unknown> = {}): GraphQLError {
  if (error instanceof GraphQLError) return error;
  const described = describeError(error);
  return new GraphQLError(described.message, {
    extensions: { ...described.details, ...extra, code: described.code },
    originalError: error instanceof Error ? error : undefined,
  });
}
