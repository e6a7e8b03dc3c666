import cluster, { type Worker } from "node:cluster";
import { randomUUID } from "node:crypto";
import { AggregatorRegistry, type Registry } from "prom-client";

const ASK = "switchyard:metrics";
const ANSWER = "switchyard:metrics-answer";
/** Longer than prom-client's own 5 s wait for the workers' parts. */
const ANSWER_TIMEOUT_MS = 10_000;

interface Ask {
  type: typeof ASK;
  id: string;
}
interface Answer {
  type: typeof ANSWER;
  id: string;
  contentType?: string;
  body?: string;
  error?: string;
}

export interface RenderedMetrics {
  contentType: string;
  body: string;
}

/**
 * The primary's side of /metrics with several workers: a worker that is scraped asks the primary,
 * which collects every worker's registry (prom-client's AggregatorRegistry, over the cluster's IPC
 * channel) and answers with the sum. Counters and histograms add up; gauges too (the call-log
 * backlog of all workers); prom-client's process metrics use their own rule (e.g. the oldest start time).
 */
export function answerMetricsForWorkers(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on("message", (worker: Worker, message: unknown) => {
    if (!isAsk(message)) return;
    aggregator.clusterMetrics().then(
      (body) => reply(worker, { type: ANSWER, id: message.id, contentType: aggregator.contentType, body }),
      (error: unknown) => reply(worker, { type: ANSWER, id: message.id, error: error instanceof Error ? error.message : String(error) }),
    );
  });
}

/**
 * A worker's side: its registry is what the primary sums (prom-client answers the primary's
 * requests once an AggregatorRegistry exists in the worker), and a scrape of this worker returns
 * the sum over all workers.
 */
export function clusterWorkerMetrics(registry: Registry): () => Promise<RenderedMetrics> {
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([registry]);
  const waiting = new Map<string, { resolve(value: RenderedMetrics): void; reject(error: Error): void; timer: NodeJS.Timeout }>();
  process.on("message", (message: unknown) => {
    if (!isAnswer(message)) return;
    const pending = waiting.get(message.id);
    if (!pending) return;
    waiting.delete(message.id);
    clearTimeout(pending.timer);
    if (message.error !== undefined || message.body === undefined) pending.reject(new Error(`summing the workers' metrics failed: ${message.error ?? "no answer"}`));
    else pending.resolve({ contentType: message.contentType ?? registry.contentType, body: message.body });
  });
  return () =>
    new Promise<RenderedMetrics>((resolve, reject) => {
      if (!process.send || !process.connected) return reject(new Error("the primary process is gone: no metrics to sum"));
      const id = randomUUID();
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error("the primary process did not answer with the workers' metrics"));
      }, ANSWER_TIMEOUT_MS);
      timer.unref();
      waiting.set(id, { resolve, reject, timer });
      process.send({ type: ASK, id } satisfies Ask);
    });
}

function reply(worker: Worker, answer: Answer): void {
  if (worker.isConnected()) worker.send(answer);
}

function isAsk(message: unknown): message is Ask {
  return typeof message === "object" && message !== null && (message as Ask).type === ASK && typeof (message as Ask).id === "string";
}

function isAnswer(message: unknown): message is Answer {
  return typeof message === "object" && message !== null && (message as Answer).type === ANSWER && typeof (message as Answer).id === "string";
}
