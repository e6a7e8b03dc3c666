import { setTimeout as sleep } from "node:timers/promises";

export interface PersistenceCheck {
  /** Successful requests made through the gateway (warm-ups included). */
  successfulRequests: number;
  /** Requests the load generator gave up on when a timed run ended; the gateway may still finish them. */
  inFlightAtStop: number;
  /** Every request sent through the gateway: successes, failures and those in flight at a stop. */
  requestsSent: number;
  persisted: { total: number; success: number; error: number; cancelled: number };
  waitedMs: number;
  /** persisted SUCCESS rows = successful requests, or exceeds them by no more than inFlightAtStop. */
  keptUp: boolean;
  exact: boolean;
  /** One stored row (any status) per request sent. */
  oneRowPerRequest: boolean;
}

interface CountsResponse {
  data?: Record<"all" | "success" | "error" | "cancelled", { totalCount: number }>;
  errors?: unknown;
}

const COUNTS_QUERY = `{
  all: calls { totalCount }
  success: calls(filter: { status: SUCCESS }) { totalCount }
  error: calls(filter: { status: ERROR }) { totalCount }
  cancelled: calls(filter: { status: CANCELLED }) { totalCount }
}`;

/**
 * Asks the gateway (GraphQL `calls { totalCount }`) how many calls it stored, polling until the
 * count stops moving: the call log writes in the background, so the last batch may still be on its way.
 */
export interface VerifyPersistenceOptions {
  gatewayUrl: string;
  successfulRequests: number;
  inFlightAtStop: number;
  requestsSent: number;
  maxWaitMs?: number;
}

export async function verifyPersistence(options: VerifyPersistenceOptions): Promise<PersistenceCheck> {
  const { gatewayUrl, successfulRequests, inFlightAtStop, requestsSent, maxWaitMs = 20_000 } = options;
  const started = Date.now();
  let previous = -1;
  let counts = await readCounts(gatewayUrl);
  for (;;) {
    const settled = counts.total === previous && counts.total >= requestsSent;
    if (settled || Date.now() - started > maxWaitMs) break;
    previous = counts.total;
    await sleep(500);
    counts = await readCounts(gatewayUrl);
  }
  const surplus = counts.success - successfulRequests;
  return {
    successfulRequests,
    inFlightAtStop,
    requestsSent,
    persisted: counts,
    waitedMs: Date.now() - started,
    keptUp: surplus >= 0 && surplus <= inFlightAtStop,
    exact: surplus === 0,
    oneRowPerRequest: counts.total === requestsSent,
  };
}

async function readCounts(gatewayUrl: string): Promise<PersistenceCheck["persisted"]> {
  const response = await fetch(`${gatewayUrl}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: COUNTS_QUERY }),
  });
  const body = (await response.json()) as CountsResponse;
  if (body.data === undefined || body.errors !== undefined) throw new Error(`calls query failed: ${JSON.stringify(body.errors ?? body).slice(0, 500)}`);
  const { all, success, error, cancelled } = body.data;
  return { total: all.totalCount, success: success.totalCount, error: error.totalCount, cancelled: cancelled.totalCount };
}
