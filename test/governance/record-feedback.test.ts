import { describe, expect, it } from "vitest";
import { CallFeedbackDocument, CompleteDocument, RecordFeedbackDocument } from "../gql/graphql.js";
import { useTestGateway } from "../helpers/use-test-gateway.js";
import { createTestKey } from "./create-test-key.js";
import { ask, GOVERNANCE_CONFIG, MASTER_KEY } from "./governance-config.js";

const gateway = useTestGateway(GOVERNANCE_CONFIG, { masterKey: MASTER_KEY });

const newKey = () => createTestKey(gateway);

async function completeAs(secret?: string): Promise<string> {
  const result = await gateway.execute(CompleteDocument, ask("fast"), secret);
  expect(result.errors).toBeUndefined();
  return result.data!.complete.id;
}

describe("recordFeedback", () => {
  it("scores a call answered a moment ago and lists the scores on the call", async () => {
    const callId = await completeAs();
    const first = await gateway.execute(RecordFeedbackDocument, { callId, score: 1, comment: "right answer" });
    expect(first.errors).toBeUndefined();
    expect(first.data!.recordFeedback).toMatchObject({ id: callId, status: "SUCCESS", feedback: [{ score: 1, comment: "right answer", keyId: null }] });
    await gateway.execute(RecordFeedbackDocument, { callId, score: 0.25 });
    const read = await gateway.execute(CallFeedbackDocument, { id: callId });
    expect(read.data!.call!.feedback).toEqual([
      { score: 1, comment: "right answer", keyId: null },
      { score: 0.25, comment: null, keyId: null },
    ]);
  });

  it("lets a virtual key score only its own calls, and says NOT_FOUND for others' and unknown ones", async () => {
    const mine = await newKey();
    const theirs = await newKey();
    const myCall = await completeAs(mine.secret);
    const theirCall = await completeAs(theirs.secret);
    const ok = await gateway.execute(RecordFeedbackDocument, { callId: myCall, score: -1 }, mine.secret);
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.recordFeedback.feedback).toEqual([expect.objectContaining({ score: -1, keyId: mine.key.id })]);

    const refused = await gateway.execute(RecordFeedbackDocument, { callId: theirCall, score: 1 }, mine.secret);
    expect(refused.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    expect((await gateway.execute(CallFeedbackDocument, { id: theirCall })).data!.call!.feedback).toEqual([]);
    const unknown = await gateway.execute(RecordFeedbackDocument, { callId: "00000000-0000-4000-8000-000000000000", score: 1 });
    expect(unknown.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    const notAnId = await gateway.execute(RecordFeedbackDocument, { callId: "nope", score: 1 });
    expect(notAnId.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });

  it("refuses a comment over 4,000 characters as bad input", async () => {
    const callId = await completeAs();
    const long = await gateway.execute(RecordFeedbackDocument, { callId, score: 1, comment: "x".repeat(4_001) });
    expect(long.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    await gateway.flush();
    expect((await gateway.execute(CallFeedbackDocument, { id: callId })).data!.call!.feedback).toEqual([]);
  });
});
