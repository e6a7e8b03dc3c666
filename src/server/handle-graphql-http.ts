import type { IncomingMessage, ServerResponse } from "node:http";
import { HeaderMap, type ApolloServer } from "@apollo/server";
import type { GraphQLContext } from "../graphql/context.js";
import { documentTooLarge } from "./document-too-large.js";
import { BodyTooLargeError, readBody } from "./read-body.js";
import { sendGraphQLError, sendJson } from "./send-json.js";

export interface GraphQLHttpOptions {
  apollo: ApolloServer<GraphQLContext>;
  createContext(input: { headers: IncomingMessage["headers"]; signal: AbortSignal }): Promise<GraphQLContext> | GraphQLContext;
  maxBodyBytes: number;
  /** A longer `query` text is refused with 413 before Apollo parses it. */
  maxDocumentBytes: number;
}

/** GraphQL over HTTP through Apollo's transport-neutral entry point, on our own node:http server. */
export async function handleGraphQLHttp(options: GraphQLHttpOptions, request: IncomingMessage, response: ServerResponse, search: string): Promise<void> {
  let body: unknown = undefined;
  if (request.method === "POST") {
    let text: string;
    try {
      text = await readBody(request, options.maxBodyBytes);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        response.setHeader("connection", "close");
        sendGraphQLError(response, 413, error.message, "BAD_USER_INPUT");
        request.destroy();
        return;
      }
      throw error;
    }
    if (text.length > 0) {
      try {
        body = JSON.parse(text);
      } catch {
        sendGraphQLError(response, 400, "The request body is not valid JSON", "BAD_REQUEST");
        return;
      }
    }
  }

  const query = request.method === "POST" ? (body as { query?: unknown } | undefined)?.query : new URLSearchParams(search).get("query");
  const tooLarge = documentTooLarge(query, options.maxDocumentBytes);
  if (tooLarge) {
    sendJson(response, 413, { errors: [tooLarge.toJSON()] });
    return;
  }

  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  const abort = new AbortController();
  response.once("close", () => {
    if (!response.writableFinished) abort.abort();
  });

  const result = await options.apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: request.method ?? "GET", headers, search, body },
    context: async () => options.createContext({ headers: request.headers, signal: abort.signal }),
  });

  for (const [name, value] of result.headers) response.setHeader(name, value);
  response.statusCode = result.status ?? 200;
  if (result.body.kind === "complete") {
    response.setHeader("content-length", Buffer.byteLength(result.body.string));
    response.end(result.body.string);
    return;
  }
  for await (const chunk of result.body.asyncIterator) response.write(chunk);
  response.end();
}
