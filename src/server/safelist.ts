import { createHash } from "node:crypto";
import { GraphQLError } from "graphql";

/** One registered operation of an Apollo persisted query manifest. */
export interface SafelistOperation {
  /** The SHA-256 of `body`, lowercase hex. */
  id: string;
  name: string;
  type: "query" | "mutation" | "subscription";
  body: string;
}

/** The operations a safelist-only key may run, by the SHA-256 of their text. */
export type Safelist = ReadonlyMap<string, SafelistOperation>;

/** The SHA-256 of a GraphQL query text, lowercase hex: the id of automatic persisted queries and of safelisted operations. */
export function queryHash(query: string): string {
  return createHash("sha256").update(query).digest("hex");
}

/**
 * An Apollo persisted query manifest (`{ format: "apollo-persisted-query-manifest", version: 1,
 * operations: [{ id, name, type, body }] }`, as @apollo/generate-persisted-query-manifest writes
 * it) → the safelist; throws an Error listing every problem, each led by where it is.
 */
export function parseSafelistManifest(text: string): Safelist {
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch (error) {
    throw new Error(`not JSON (${(error as Error).message})`);
  }
  const root = manifest as { format?: unknown; version?: unknown; operations?: unknown } | null;
  if (typeof root !== "object" || root === null || Array.isArray(root)) throw new Error("expected a JSON object");
  const problems: string[] = [];
  if (root.format !== "apollo-persisted-query-manifest") problems.push(`format: expected "apollo-persisted-query-manifest", got ${JSON.stringify(root.format)}`);
  if (root.version !== 1) problems.push(`version: expected 1, got ${JSON.stringify(root.version)}`);
  if (!Array.isArray(root.operations)) problems.push("operations: expected a list");
  const operations = new Map<string, SafelistOperation>();
  for (const [index, entry] of (Array.isArray(root.operations) ? root.operations : []).entries()) {
    const at = `operations[${index}]`;
    const operation = entry as Partial<Record<keyof SafelistOperation, unknown>> | null;
    if (typeof operation !== "object" || operation === null) {
      problems.push(`${at}: expected an object`);
      continue;
    }
    const { id, name, type, body } = operation;
    if (typeof body !== "string" || body === "") problems.push(`${at}.body: expected the operation's text`);
    if (typeof name !== "string") problems.push(`${at}.name: expected a string`);
    if (type !== "query" && type !== "mutation" && type !== "subscription") problems.push(`${at}.type: expected query, mutation or subscription`);
    if (typeof id !== "string") problems.push(`${at}.id: expected the SHA-256 of the body`);
    else if (typeof body === "string" && id !== queryHash(body)) problems.push(`${at}.id: ${id} is not the SHA-256 of its body (${queryHash(body)})`);
    if (problems.length === 0) operations.set(id as string, { id: id as string, name: name as string, type: type as SafelistOperation["type"], body: body as string });
  }
  if (problems.length > 0) throw new Error(problems.join("; "));
  return operations;
}

/**
 * Undefined when an operation of this hash may run for a caller the safelist applies to; else
 * the refusal (`PERSISTED_QUERY_NOT_IN_LIST`, as Apollo's own safelisting names it).
 */
export function safelistRefusal(safelist: Safelist | undefined, hash: string | undefined): GraphQLError | undefined {
  if (safelist === undefined) {
    return new GraphQLError("This key may run only safelisted operations, and no safelist is configured (server.graphql.safelist)", {
      extensions: { code: "PERSISTED_QUERY_NOT_IN_LIST" },
    });
  }
  if (hash !== undefined && safelist.has(hash)) return undefined;
  return new GraphQLError(
    hash === undefined
      ? "This key may run only safelisted operations: send the operation's text or its SHA-256 (extensions.persistedQuery.sha256Hash)"
      : `This key may run only safelisted operations, and the operation with SHA-256 ${hash} is not in the safelist`,
    { extensions: { code: "PERSISTED_QUERY_NOT_IN_LIST", ...(hash !== undefined ? { sha256Hash: hash } : {}) } },
  );
}
