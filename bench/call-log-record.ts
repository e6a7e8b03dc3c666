/**
 * What `record()` costs on the request path, with and without the write-ahead file
 * (`database.callLog.writeAhead`): N synthetic calls recorded in a tight loop into a writer whose
 * batches go nowhere (no database: only the request-path part is timed), median of 5 rounds.
 *
 *   node dist/bench/call-log-record.js [--records 20000]
 *   node --import ./test/helpers/swc-node/register.mjs bench/call-log-record.ts   (no build)
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { CallRecord } from "../src/core/index.js";
import { createCallLogWriter } from "../src/db/index.js";

export interface CallLogRecordBenchResult {
  name: "call-log-record";
  records: number;
  /** Median nanoseconds per record() call. */
  memoryNsPerCall: number;
  writeAheadNsPerCall: number;
}

function syntheticCall(i: number): CallRecord {
  const createdAt = new Date();
  return {
    id: randomUUID(),
    createdAt,
    requestedModel: "gpt-4o-mini",
    modelGroup: "fast",
    provider: "openai",
    deployment: "openai-mini",
    providerModel: "gpt-4o-mini",
    status: "SUCCESS",
    errorKind: null,
    errorMessage: null,
    finishReason: "stop",
    streamed: false,
    promptTokens: 120,
    completionTokens: 48,
    cachedTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    costPico: 46_800_000n,
    latencyMs: 412.5,
    ttftMs: null,
    attemptCount: 1,
    keyId: "2d1c7a52-6c1b-4d2e-9d7b-0b5d7f1f2a10",
    teamId: null,
    endUser: `user-${i % 100}`,
    metadata: { feature: "search", trace: `t-${i}` },
    attempts: [
      {
        index: 0,
        modelGroup: "fast",
        deployment: "openai-mini",
        provider: "openai",
        providerModel: "gpt-4o-mini",
        outcome: "SUCCESS",
        errorKind: null,
        errorMessage: null,
        httpStatus: 200,
        startedAt: createdAt,
        latencyMs: 410.25,
        hedged: false,
        promptTokens: 120,
        completionTokens: 48,
        cachedTokens: 0,
        cacheWriteTokens: 0,
        costPico: 46_800_000n,
      },
    ],
  };
}

async function nsPerRecord(records: number, writeAhead: boolean): Promise<number> {
  const rounds: number[] = [];
  for (let round = 0; round < 5; round++) {
    const spillDir = mkdtempSync(join(tmpdir(), "switchyard-record-bench-"));
    const writer = createCallLogWriter({
      writeBatch: async (batch) => ({ inserted: batch.length, rejected: [] }),
      spillDir,
      writeAhead,
      maxBuffered: records * 2,
    });
    const calls = Array.from({ length: records }, (_, i) => syntheticCall(i));
    const started = process.hrtime.bigint();
    for (const call of calls) writer.record(call);
    rounds.push(Number(process.hrtime.bigint() - started) / records);
    await writer.close();
    rmSync(spillDir, { recursive: true, force: true });
  }
  return rounds.sort((a, b) => a - b)[2]!;
}

export async function runCallLogRecordBench(records = 20_000): Promise<CallLogRecordBenchResult> {
  await nsPerRecord(2_000, true); // warm up both paths
  await nsPerRecord(2_000, false);
  return { name: "call-log-record", records, memoryNsPerCall: await nsPerRecord(records, false), writeAheadNsPerCall: await nsPerRecord(records, true) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const index = process.argv.indexOf("--records");
  const records = index > 0 ? Number(process.argv[index + 1]) : 20_000;
  const result = await runCallLogRecordBench(records);
  console.log(
    `call-log record(): ${result.records} calls — in memory ${(result.memoryNsPerCall / 1000).toFixed(2)} µs/call, ` +
      `with the write-ahead file ${(result.writeAheadNsPerCall / 1000).toFixed(2)} µs/call`,
  );
}
