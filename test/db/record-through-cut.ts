import type { CallRecord, CallSink } from "../../src/core/index.js";
import type { TcpProxy } from "../helpers/tcp-proxy.js";
import { makeCallRecord } from "./make-call-record.js";

export interface OutageTraffic {
  /** Every record sent to the writer so far. */
  records: CallRecord[];
  /** Sends `count` more records. */
  recordSome(count: number): void;
}

/**
 * Keeps `writer` busy until `proxy` cuts its connection in the middle of a COPY into `calls` (the
 * cut lands inside one of its transactions), then sends 100 more over 200 ms while the database
 * is unreachable, so flushes fail and back off. The caller restores the proxy.
 */
export async function recordThroughCut(writer: CallSink, proxy: TcpProxy): Promise<OutageTraffic> {
  const records: CallRecord[] = [];
  const recordSome = (count: number) => {
    for (let i = 0; i < count; i++) {
      const record = makeCallRecord({ metadata: { n: records.length } });
      records.push(record);
      writer.record(record);
    }
  };
  let cut = false;
  void proxy.cutWhenClientSends('copy "calls"').then(() => (cut = true));
  while (!cut) {
    recordSome(10);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  for (let i = 0; i < 10; i++) {
    recordSome(10);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { records, recordSome };
}
