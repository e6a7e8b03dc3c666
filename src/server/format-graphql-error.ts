import type { GraphQLFormattedError } from "graphql";
import { unwrapResolverError } from "@apollo/server/errors";
import { GraphQLError } from "graphql";

/** Errors we did not raise ourselves never leak their message or stack to clients. */
export function formatGraphQLError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (formatted.extensions?.code === "INTERNAL_SERVER_ERROR" && !(original instanceof GraphQLError)) {
    return { message: "Internal error", locations: formatted.locations, path: formatted.path, extensions: { code: "INTERNAL" } };
  }
  return formatted;
}
