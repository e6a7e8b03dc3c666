import type { GraphQLFormattedError } from "graphql";
import { unwrapResolverError } from "@apollo/server/errors";
import { GraphQLError } from "graphql";

/**
 * Errors we did not raise ourselves never leak their message or stack to clients. Apollo's own
 * refusals of a malformed request that carry no code (a persisted query's hash that is not its
 * text's, an unknown persisted query version) get BAD_REQUEST rather than INTERNAL_SERVER_ERROR.
 */
export function formatGraphQLError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (formatted.extensions?.code === "INTERNAL_SERVER_ERROR" && !(original instanceof GraphQLError)) {
    return { message: "Internal error", locations: formatted.locations, path: formatted.path, extensions: { code: "INTERNAL" } };
  }
  if (formatted.extensions?.code === "INTERNAL_SERVER_ERROR" && isClientStatus((original as GraphQLError).extensions.http)) {
    return { ...formatted, extensions: { ...formatted.extensions, code: "BAD_REQUEST" } };
  }
  return formatted;
}

function isClientStatus(http: unknown): boolean {
  const status = (http as { status?: unknown } | undefined)?.status;
  return typeof status === "number" && status >= 400 && status < 500;
}
