import { runSideBySide, type SideBySideOptions, type SideBySideResult } from "./side-by-side.js";

export interface SideBySideRound extends SideBySideResult {
  round: number;
  /** The gateways by label in the order each door measured them this round ("" is the current build). */
  order: string[];
}

export interface SideBySideRounds {
  rounds: SideBySideRound[];
  /** Successful and sent calls through the gateways over every round, for the persistence check. */
  gatewayCalls: SideBySideResult["gatewayCalls"];
}

/**
 * The side-by-side part `rounds` times (BENCH_ROUNDS): each round measures the upstream and the floor
 * anew and every door of each gateway back to back, as one run does. The gateways' order alternates:
 * odd rounds take them as given (the earlier build right before the current one), even rounds reversed,
 * so neither build always runs second. Each gateway is warmed through every door in the first round only.
 */
export async function runSideBySideRounds(options: SideBySideOptions, rounds: number): Promise<SideBySideRounds> {
  const results: SideBySideRound[] = [];
  const gatewayCalls = { ok: 0, sent: 0, inFlightAtStop: 0 };
  for (let round = 1; round <= rounds; round++) {
    const gateways = round % 2 === 1 ? options.gateways : [...options.gateways].reverse();
    const order = gateways.map((g) => g.label);
    if (rounds > 1) {
      const first = order.length > 1 ? `, ${order.map((label) => (label === "" ? "current" : label)).join(" then ")} at each door` : "";
      options.log(`Round ${round} of ${rounds}${first}`);
    }
    const result = await runSideBySide({ ...options, gateways, gatewayWarmupRequests: round === 1 ? options.gatewayWarmupRequests : 0 });
    gatewayCalls.ok += result.gatewayCalls.ok;
    gatewayCalls.sent += result.gatewayCalls.sent;
    gatewayCalls.inFlightAtStop += result.gatewayCalls.inFlightAtStop;
    results.push({ round, order, ...result });
  }
  return { rounds: results, gatewayCalls };
}
