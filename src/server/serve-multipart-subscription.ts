import type { ServerResponse } from "node:http";
import { type DocumentNode, type ExecutionArgs, type ExecutionResult, type GraphQLFormattedError, type GraphQLSchema, GraphQLError, Kind } from "graphql";
import type { GraphQLContext } from "../graphql/context.js";

/** The media type of Apollo's multipart subscriptions (what Apollo Client's HttpLink asks for, and Apollo Router answers). */
export const MULTIPART_SUBSCRIPTION_TYPE = 'multipart/mixed;boundary="graphql";subscriptionSpec="1.0"';

/** Whether an Accept header asks for Apollo's multipart subscriptions. */
export function acceptsMultipartSubscription(accept: string | undefined): boolean {
  return accept !== undefined && /multipart\/mixed/i.test(accept) && /subscriptionSpec=("?)1\.0\1/i.test(accept);
}

export interface MultipartSubscription {
  schema: GraphQLSchema;
  document: DocumentNode;
  variables: Record<string, unknown> | undefined;
  operationName: string | undefined;
  contextValue: GraphQLContext;
  /** The graphql-ws path's executor (src/server/create-subscription-executor.ts). */
  subscribe(args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult>;
  /** Throws when the caller may no longer run it (key revoked or expired): checked before each event. */
  recheck(): void;
  /** How often an empty part keeps proxies from closing a quiet stream (Apollo Router sends one every 5 s). */
  heartbeatMs: number;
}

const BOUNDARY = "\r\n--graphql";
const PART_HEAD = `${BOUNDARY}\r\ncontent-type: application/json; charset=utf-8\r\n\r\n`;

/**
 * A subscription over HTTP in Apollo's multipart protocol: one part `{"payload": result}` per
 * event, `{}` as a heartbeat, `{"payload": null, "errors": [...]}` when the stream fails after it
 * began, and the closing boundary when it ends. Errors before the first event (the field's
 * arguments, governance) are one ordinary JSON answer: 400 with `BAD_USER_INPUT` when the variables
 * could not be coerced (as Apollo Server answers an operation's), else 200. The client leaving stops
 * the source (the upstream call is aborted and recorded as cancelled, as on graphql-ws).
 */
export async function serveMultipartSubscription(subscription: MultipartSubscription, response: ServerResponse): Promise<void> {
  const { document, variables, operationName, contextValue, schema } = subscription;
  const result = await subscription.subscribe({ schema, document, variableValues: variables, operationName, contextValue });
  if (!(Symbol.asyncIterator in result)) {
    const badVariables = result.data === undefined && result.errors !== undefined && result.errors.length > 0 && result.errors.every(isVariableCoercionError);
    const formatted = formatResult(result);
    if (badVariables) formatted.errors = (formatted.errors as GraphQLFormattedError[]).map((error) => ({ ...error, extensions: { ...error.extensions, code: "BAD_USER_INPUT" } }));
    const body = JSON.stringify(formatted);
    response.writeHead(badVariables ? 400 : 200, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body) });
    response.end(body);
    return;
  }
  const events = result;
  let closed = false;
  response.once("close", () => {
    closed = true;
    void events.return?.();
  });
  response.writeHead(200, { "content-type": MULTIPART_SUBSCRIPTION_TYPE, "cache-control": "no-cache", "x-accel-buffering": "no" });
  const heartbeat = setInterval(() => {
    if (!closed) response.write(`${PART_HEAD}{}`);
  }, subscription.heartbeatMs);
  heartbeat.unref();
  try {
    for (;;) {
      const event = await events.next();
      if (event.done || closed) break;
      try {
        subscription.recheck();
      } catch (error) {
        response.write(`${PART_HEAD}${JSON.stringify({ payload: null, errors: [{ message: (error as Error).message, extensions: { code: "FORBIDDEN" } }] })}`);
        await events.return?.();
        break;
      }
      response.write(`${PART_HEAD}${JSON.stringify({ payload: formatResult(event.value) })}`);
    }
  } catch (error) {
    if (!closed) response.write(`${PART_HEAD}${JSON.stringify({ payload: null, errors: [formatError(error)] })}`);
  } finally {
    clearInterval(heartbeat);
  }
  if (!closed) response.end(`${BOUNDARY}--\r\n`);
}

/**
 * A variable that could not be coerced to its declared type (graphql-js's messages, the test Apollo
 * Server applies before answering 400 `BAD_USER_INPUT`).
 */
function isVariableCoercionError(error: GraphQLError): boolean {
  const node = error.nodes?.length === 1 ? error.nodes[0] : undefined;
  if (node?.kind !== Kind.VARIABLE_DEFINITION) return false;
  const prefix = `Variable "$${node.variable.name.value}" `;
  return ["got invalid value ", "of required type ", "of non-null type "].some((rest) => error.message.startsWith(prefix + rest));
}

/** Errors as on the non-streamed path: ours kept, anything else masked. */
function formatResult(result: ExecutionResult): Record<string, unknown> {
  if (!result.errors?.length) return result as Record<string, unknown>;
  return { ...result, errors: result.errors.map(formatError) };
}

function formatError(error: unknown): GraphQLFormattedError {
  if (!(error instanceof GraphQLError)) return { message: "Internal error", extensions: { code: "INTERNAL" } };
  const formatted = error.toJSON();
  if (error.originalError && !(error.originalError instanceof GraphQLError)) {
    return { message: "Internal error", ...(formatted.locations ? { locations: formatted.locations } : {}), ...(formatted.path ? { path: formatted.path } : {}), extensions: { code: "INTERNAL" } };
  }
  return formatted;
}
