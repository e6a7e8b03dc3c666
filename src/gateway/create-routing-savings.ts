import type { ModelPrice } from "../accounting/index.js";
import { GatewayError, badInput } from "../core/index.js";
import type { RoutedCallTotals, RoutingTotalsReads } from "../db/routing-totals-reads.js";
import type { UsageBucket } from "../db/usage-types.js";
import { priceTokenTotals } from "./price-token-totals.js";

/** A quality or cascade group as the savings report needs it. */
export interface TieredGroup {
  name: string;
  /** Every name a client may ask it by: its own and its aliases. */
  names: readonly string[];
  policy: "quality" | "cascade";
  /** Cheapest first. */
  tiers: readonly string[];
  /** What a call costs on the top tier (see topTierPrice); undefined when no price is known (it costs 0, as its calls do). */
  topTierPrice: Pick<ModelPrice, "inputPico" | "outputPico" | "cacheReadPico" | "reasoningPico"> | undefined;
}

export interface SavingsWindow {
  /** UTC bucket start; null for the totals (and without buckets). */
  bucketStart: Date | null;
  /** Every routed call, a cascade's superseded cheaper answers included. */
  calls: number;
  /** Calls that answered a request (every call but the superseded ones): one per request. */
  requests: number;
  /** Requests answered by the top tier. */
  strongRequests: number;
  /** Calls with `escalated_from`: a cascade's escalation steps. */
  escalations: number;
  /** What the calls cost, exactly (the superseded ones included: they were billed). */
  actualPico: bigint;
  /**
   * What the same requests would have cost on the top tier: a top-tier answer its recorded cost, a
   * cheaper tier's answer its recorded tokens at the top tier's price, a superseded answer nothing.
   */
  topTierPico: bigint;
}

export interface SavingsReport {
  group: TieredGroup;
  windows: SavingsWindow[];
  totals: SavingsWindow;
}

export interface RoutingSavings {
  compute(query: { model: string; from?: Date; to?: Date; bucket?: UsageBucket }): Promise<SavingsReport>;
}

export interface RoutingSavingsOptions {
  /** Already scoped to the caller (a virtual key reads only its own calls). */
  reads: RoutingTotalsReads;
  /** A quality or cascade group by any of its names; undefined for anything else. */
  findGroup(model: string): TieredGroup | undefined;
}

export function createRoutingSavings(options: RoutingSavingsOptions): RoutingSavings {
  return {
    async compute({ model, from, to, bucket }) {
      if (from !== undefined && to !== undefined && !(from.getTime() < to.getTime())) throw badInput("from must be before to", { field: "filter.from" });
      const group = options.findGroup(model);
      if (!group) throw new GatewayError("MODEL_NOT_FOUND", `"${model}" is not a quality or cascade group`, { model });
      const topTier = group.tiers[group.tiers.length - 1]!;
      const rows = await options.reads.routedCallTotals(
        { requestedModels: group.names, topTier, ...(from ? { from } : {}), ...(to ? { to } : {}) },
        bucket,
      );
      const windows: SavingsWindow[] = [];
      const totals = emptyWindow(null);
      for (const row of rows) {
        let window = windows[windows.length - 1];
        if (!window || window.bucketStart?.getTime() !== row.bucketStart?.getTime()) windows.push((window = emptyWindow(row.bucketStart)));
        addRow(window, row, group);
        addRow(totals, row, group);
      }
      return { group, windows: bucket === undefined ? [totals] : windows, totals };
    },
  };
}

function emptyWindow(bucketStart: Date | null): SavingsWindow {
  return { bucketStart, calls: 0, requests: 0, strongRequests: 0, escalations: 0, actualPico: 0n, topTierPico: 0n };
}

function addRow(window: SavingsWindow, row: RoutedCallTotals, group: TieredGroup): void {
  window.calls += row.calls;
  window.escalations += row.escalations;
  window.actualPico += row.actualPico;
  if (row.role === "superseded") return;
  window.requests += row.calls;
  if (row.role === "top") {
    window.strongRequests += row.calls;
    window.topTierPico += row.actualPico;
  } else {
    window.topTierPico += group.topTierPrice ? priceTokenTotals(row, group.topTierPrice) : 0n;
  }
}

/**
 * The price a savings report charges for the top tier: its cheapest deployment (least input plus
 * output price per token, the first on a tie), so savings are never overstated when the tier's
 * deployments differ in price. Deployments without a known price are skipped.
 */
export function topTierPrice<P extends Pick<ModelPrice, "inputPico" | "outputPico">>(prices: ReadonlyArray<P | undefined>): P | undefined {
  let best: P | undefined;
  for (const price of prices) {
    if (price && (!best || price.inputPico + price.outputPico < best.inputPico + best.outputPico)) best = price;
  }
  return best;
}
