import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { buildSchema, GraphQLError, parse, subscribe, type ExecutionResult } from "graphql";
import { afterEach, describe, expect, it } from "vitest";
import type { GraphQLContext } from "../graphql/context.js";
import { acceptsMultipartSubscription, serveMultipartSubscription } from "./serve-multipart-subscription.js";

const schema = buildSchema("type Query { a: Int } type Subscription { n(x: Int): Int }");
let server: Server | undefined;
afterEach(() => server?.close());

/** Serves one subscription whose events come from `events`, and returns the whole body a client read. */
async function streamOf(events: () => AsyncGenerator<ExecutionResult>, recheck: () => void = () => {}): Promise<string> {
  server = createServer((_request, response) => {
    void serveMultipartSubscription(
      { schema, document: parse("subscription { n }"), variables: undefined, operationName: undefined, contextValue: {} as GraphQLContext, subscribe: async () => events(), recheck, heartbeatMs: 10 },
      response,
    );
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  return response.text();
}

const part = (json: string) => `\r\n--graphql\r\ncontent-type: application/json; charset=utf-8\r\n\r\n${json}`;

describe("multipart subscriptions", () => {
  it("recognises Apollo Client's Accept header, quoted or not", () => {
    expect(acceptsMultipartSubscription("multipart/mixed;boundary=graphql;subscriptionSpec=1.0,application/json")).toBe(true);
    expect(acceptsMultipartSubscription('multipart/mixed;boundary="graphql";subscriptionSpec="1.0"')).toBe(true);
    expect(acceptsMultipartSubscription("multipart/mixed;deferSpec=20220824")).toBe(false);
    expect(acceptsMultipartSubscription(undefined)).toBe(false);
  });

  it("sends a part per event, heartbeats while quiet, and the closing boundary", async () => {
    const text = await streamOf(async function* () {
      yield { data: { n: 1 } };
      await new Promise((resolve) => setTimeout(resolve, 60));
      yield { data: { n: 2 } };
    });
    expect(text.startsWith(part('{"payload":{"data":{"n":1}}}'))).toBe(true);
    expect(text).toContain(part("{}"));
    expect(text.endsWith(`${part('{"payload":{"data":{"n":2}}}')}\r\n--graphql--\r\n`)).toBe(true);
  });

  it("ends with an error part when the caller's key is revoked mid-stream, and masks errors it did not raise", async () => {
    let allowed = true;
    const revoked = await streamOf(
      async function* () {
        yield { data: { n: 1 } };
        allowed = false;
        yield { data: { n: 2 } };
      },
      () => {
        if (!allowed) throw new Error("This key has been revoked");
      },
    );
    expect(revoked).toContain(part('{"payload":null,"errors":[{"message":"This key has been revoked","extensions":{"code":"FORBIDDEN"}}]}'));
    expect(revoked).not.toContain('"n":2');
    expect(revoked.endsWith("\r\n--graphql--\r\n")).toBe(true);

    const failed = await streamOf(async function* () {
      yield { data: { n: 1 } };
      throw new Error("secret detail");
    });
    expect(failed).toContain(part('{"payload":null,"errors":[{"message":"Internal error","extensions":{"code":"INTERNAL"}}]}'));
    expect(failed).not.toContain("secret detail");
  });

  it("answers variables that cannot be coerced with 400 BAD_USER_INPUT, as Apollo Server does, and other early errors with 200", async () => {
    const answer = async (query: string, variables: Record<string, unknown>, refuse = false) => {
      const subscribeFieldResolver = () => {
        if (refuse) throw new GraphQLError("Not allowed", { extensions: { code: "FORBIDDEN" } });
        return (async function* () {
          yield { n: 1 };
        })();
      };
      server?.close();
      server = createServer((_request, response) => {
        void serveMultipartSubscription(
          { schema, document: parse(query), variables, operationName: undefined, contextValue: {} as GraphQLContext, subscribe: (args) => subscribe({ ...args, subscribeFieldResolver }), recheck: () => {}, heartbeatMs: 10 },
          response,
        );
      });
      await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      return { status: response.status, body: (await response.json()) as { errors: Array<{ message: string; extensions?: { code?: string } }> } };
    };
    const wrongType = await answer("subscription ($x: Int) { n(x: $x) }", { x: "seven" });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.errors[0]!.message).toMatch(/^Variable "\$x" got invalid value "seven"/);
    expect(wrongType.body.errors[0]!.extensions?.code).toBe("BAD_USER_INPUT");
    const missing = await answer("subscription ($x: Int!) { n(x: $x) }", {});
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0]!.extensions?.code).toBe("BAD_USER_INPUT");
    // An error before the first event that is not about variables stays a 200 with its own code.
    const refused = await answer("subscription ($x: Int) { n(x: $x) }", { x: 7 }, true);
    expect(refused.status).toBe(200);
    expect(refused.body.errors.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
  });
});
