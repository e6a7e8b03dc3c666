import { describe, expect, it, vi } from "vitest";
import type { CallsRepository, CallWithAttempts, FeedbackRepository } from "../db/index.js";
import { createFeedbackService } from "./create-feedback-service.js";

const stored = { id: "c1" } as CallWithAttempts;

function setup(visibleAfterFlush: boolean) {
  let flushed = false;
  const calls = { getCall: vi.fn(async () => (flushed && visibleAfterFlush ? stored : null)) } as unknown as CallsRepository;
  const repository: FeedbackRepository = {
    record: vi.fn(async (input) => ({ id: 1, recordedAt: new Date(0), ...input })),
    byCalls: vi.fn(),
  };
  const flushCallLog = vi.fn(async () => {
    flushed = true;
  });
  return { service: createFeedbackService({ repository, flushCallLog }), calls, repository, flushCallLog };
}

describe("feedback service", () => {
  it("writes out the call log when the call is not stored yet, then records", async () => {
    const { service, calls, repository, flushCallLog } = setup(true);
    const { call, feedback } = await service.record({ callId: "c1", score: 0.5 }, { calls, keyId: "k1" });
    expect(flushCallLog).toHaveBeenCalledTimes(1);
    expect(call).toBe(stored);
    expect(feedback).toMatchObject({ callId: "c1", score: 0.5, comment: null, keyId: "k1" });
    expect(repository.record).toHaveBeenCalledTimes(1);
  });

  it("says NOT_FOUND when the call is not there even after the flush, and records nothing", async () => {
    const { service, calls, repository } = setup(false);
    await expect(service.record({ callId: "c1", score: 1 }, { calls, keyId: null })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(repository.record).not.toHaveBeenCalled();
  });

  it("refuses a non-finite score and an overlong comment before looking anything up", async () => {
    const { service, calls } = setup(true);
    await expect(service.record({ callId: "c1", score: Number.NaN }, { calls, keyId: null })).rejects.toMatchObject({ code: "BAD_USER_INPUT" });
    await expect(service.record({ callId: "c1", score: 1, comment: "x".repeat(4_001) }, { calls, keyId: null })).rejects.toMatchObject({ code: "BAD_USER_INPUT" });
    await expect(service.record({ callId: "c1", score: 1, comment: "fine\u0000" }, { calls, keyId: null })).rejects.toMatchObject({ code: "BAD_USER_INPUT" });
    await expect(service.record({ callId: "c1", score: 1, comment: "\ud800" }, { calls, keyId: null })).rejects.toMatchObject({ code: "BAD_USER_INPUT" });
    expect(calls.getCall).not.toHaveBeenCalled();
  });
});
