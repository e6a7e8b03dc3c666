import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CallDocument, CallsDocument, CompleteDocument, CompletionStreamDocument } from "../gql/graphql.js";
import { collect, startTestGateway, type TestGateway } from "../helpers/start-test-gateway.js";
import { E2E_CONFIG } from "./gateway-config.js";

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway(E2E_CONFIG);
});
afterAll(async () => {
  await gateway?.close();
});

const input = (model: string, content = "Tell me something") => ({ input: { model, messages: [{ role: "USER" as const, content }] } });

async function waitFor(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("completionStream over graphql-ws", () => {
  it("streams chunks in order and ends with usage and cost equal to the non-streamed call", async () => {
    const results = await collect(gateway.wsClient(), CompletionStreamDocument, input("fast", "same prompt"));
    expect(results.every((r) => r.errors === undefined)).toBe(true);
    const chunks = results.map((r) => r.data!.completionStream);
    expect(chunks.map((c) => c.index)).toEqual(chunks.map((_, i) => i));
    const last = chunks[chunks.length - 1]!;
    expect(last.done).toBe(true);
    expect(last.finishReason).toBe("STOP");
    expect(last.usage!.completionTokens).toBe(12);
    expect(chunks.slice(0, -1).every((c) => !c.done && c.delta !== null)).toBe(true);
    expect(new Set(chunks.map((c) => c.callId)).size).toBe(1);

    const plain = (await gateway.execute(CompleteDocument, input("fast", "same prompt"))).data!.complete;
    expect(last.usage!.promptTokens).toBe(plain.usage.promptTokens);
    expect(last.costUsd).toBe(plain.costUsd);

    await gateway.flush();
    const streamed = (await gateway.execute(CallDocument, { id: last.callId })).data!.call!;
    const nonStreamed = (await gateway.execute(CallDocument, { id: plain.id })).data!.call!;
    expect(streamed.streamed).toBe(true);
    expect(streamed.status).toBe("SUCCESS");
    expect(streamed.costUsdExact).toBe(nonStreamed.costUsdExact);
  });

  it("turns a provider sending garbage into an error event and an ERROR row", async () => {
    const results = await collect(gateway.wsClient(), CompletionStreamDocument, input("garbage"));
    const failure = results.find((r) => r.errors !== undefined)!;
    expect(failure).toBeDefined();
    const code = failure.errors![0]!.extensions!.code;
    expect(["UPSTREAM_ERROR", "ALL_DEPLOYMENTS_FAILED"]).toContain(code);
    const callId = failure.errors![0]!.extensions!.callId as string;
    await gateway.flush();
    const call = (await gateway.execute(CallDocument, { id: callId })).data!.call!;
    expect(call.status).toBe("ERROR");
    expect(call.errorKind).toBe("invalid_response");
  });

  it("turns a stream cut mid-way into an error event and an ERROR row", async () => {
    const results = await collect(gateway.wsClient(), CompletionStreamDocument, input("truncating"));
    const failure = results.find((r) => r.errors !== undefined)!;
    expect(failure).toBeDefined();
    const callId = failure.errors![0]!.extensions!.callId as string;
    await gateway.flush();
    const call = (await gateway.execute(CallDocument, { id: callId })).data!.call!;
    expect(call.status).toBe("ERROR");
    expect(call.streamed).toBe(true);
  });

  it("aborts the upstream request when the subscriber leaves, and records CANCELLED", async () => {
    const simulator = gateway.switchyard.simulator!;
    const before = simulator.stats.requests;
    const results = await collect(gateway.wsClient(), CompletionStreamDocument, input("slow"), 2);
    expect(results).toHaveLength(2);
    const callId = results[0]!.data!.completionStream.callId;
    expect(simulator.stats.requests).toBe(before + 1);
    await waitFor(() => simulator.stats.open === 0, "the upstream connection to close");
    await waitFor(async () => {
      await gateway.flush();
      return (await gateway.execute(CallDocument, { id: callId })).data?.call?.status === "CANCELLED";
    }, "the CANCELLED row");
    const call = (await gateway.execute(CallDocument, { id: callId })).data!.call!;
    expect(call.completionTokens).toBeGreaterThan(0);
    expect(call.completionTokens).toBeLessThan(2000);
  });

  it("reports an unknown model as a typed error", async () => {
    const results = await collect(gateway.wsClient(), CompletionStreamDocument, input("nope"));
    expect(results[0]!.errors![0]!.extensions!.code).toBe("MODEL_NOT_FOUND");
  });

  it("lists every call, one row each, with cursor pagination", async () => {
    await gateway.flush();
    const all = (await gateway.execute(CallsDocument, { first: 200 })).data!.calls;
    const seen: string[] = [];
    let after: string | null | undefined = undefined;
    do {
      const page: typeof all = (await gateway.execute(CallsDocument, { first: 2, after })).data!.calls;
      seen.push(...page.edges.map((e) => e.node.id));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(all.edges.map((e) => e.node.id));
    expect(new Set(seen).size).toBe(all.totalCount);
    expect(all.edges.filter((e) => e.node.requestedModel === "nope")).toHaveLength(1);
    const bad = await gateway.execute(CallsDocument, { first: 2, after: "not-a-cursor" });
    expect(bad.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
  });
});
