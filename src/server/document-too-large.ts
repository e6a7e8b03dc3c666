import { GraphQLError } from "graphql";

/**
 * The refusal of a `query` text over `maxDocumentBytes` (UTF-8), before anything parses it:
 * answered 413 on HTTP (as a body over `maxBodyBytes` is) and as the operation's error message
 * on graphql-ws. Undefined when the text fits or is not a string (the parser reports that).
 */
export function documentTooLarge(query: unknown, maxDocumentBytes: number): GraphQLError | undefined {
  if (typeof query !== "string") return undefined;
  // UTF-8 takes 1 to 3 bytes per UTF-16 unit: most texts are decided without counting.
  if (query.length * 3 <= maxDocumentBytes) return undefined;
  const documentBytes = Buffer.byteLength(query);
  if (documentBytes <= maxDocumentBytes) return undefined;
  return new GraphQLError(`The GraphQL document is ${documentBytes} bytes, more than the limit of ${maxDocumentBytes}`, {
    extensions: { code: "BAD_USER_INPUT", limit: "maxDocumentBytes", maxDocumentBytes, documentBytes },
  });
}
