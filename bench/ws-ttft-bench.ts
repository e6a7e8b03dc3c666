import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { msSince } from "./latency-stats.js";
import { createStreamTally, runClosedLoop, type StreamRunResult } from "./stream-run-result.js";

export const SUBSCRIPTION = `subscription Bench($input: CompletionInput!) {
  completionStream(input: $input) { index delta done finishReason usage { completionTokens } costUsd }
}`;
export const SUBSCRIPTION_VARIABLES = { input: { model: "bench", messages: [{ role: "USER", content: "Tell the benchmark a story" }] } };

interface ChunkData {
  completionStream?: { delta?: string | null; done?: boolean } | null;
}

/** `count` graphql-ws clients on the gateway, each connected before it is returned. */
export async function connectWsClients(gatewayUrl: string, count: number): Promise<Client[]> {
  const url = `${gatewayUrl.replace(/^http/, "ws")}/graphql`;
  const clients = Array.from({ length: count }, () =>
    createClient({ url, webSocketImpl: WebSocket, lazy: false, retryAttempts: 0 }),
  );
  await Promise.all(
    clients.map(
      (client) =>
        new Promise<void>((resolve, reject) => {
          const offConnected = client.on("connected", () => {
            offConnected();
            offClosed();
            resolve();
          });
          const offClosed = client.on("closed", () => reject(new Error("graphql-ws connection closed before it was acknowledged")));
        }),
    ),
  );
  return clients;
}

/**
 * Through the gateway: `completionStream` subscriptions spread over shared WebSocket clients,
 * timed from subscribe to the first chunk with a delta, and read to the end.
 */
export async function runWsTtft(clients: readonly Client[], concurrency: number, streams: number): Promise<StreamRunResult> {
  const tally = createStreamTally(concurrency);
  const seconds = await runClosedLoop(streams, concurrency, (index) => {
    const client = clients[index % clients.length]!;
    return new Promise<void>((resolve) => {
      const start = process.hrtime.bigint();
      let ttft: number | undefined;
      let done = false;
      let failed = false;
      const fail = (reason: string): void => {
        if (!failed) tally.failure(reason);
        failed = true;
      };
      client.subscribe<ChunkData>(
        { query: SUBSCRIPTION, variables: SUBSCRIPTION_VARIABLES },
        {
          next(result) {
            if (result.errors !== undefined) return fail(`GraphQL errors: ${JSON.stringify(result.errors).slice(0, 300)}`);
            const chunk = result.data?.completionStream;
            if (ttft === undefined && typeof chunk?.delta === "string") ttft = msSince(start);
            if (chunk?.done === true) done = true;
          },
          error(error) {
            fail(error instanceof Error ? error.message : JSON.stringify(error).slice(0, 300));
            resolve();
          },
          complete() {
            if (!failed) {
              if (ttft !== undefined && done) tally.success(ttft, msSince(start));
              else fail(`stream completed without ${ttft === undefined ? "a delta" : "a done chunk"}`);
            }
            resolve();
          },
        },
      );
    });
  });
  return tally.result(seconds);
}
