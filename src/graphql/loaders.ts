import DataLoader from "dataloader";
import type { AttemptRow, CallRef, FeedbackRow } from "../db/index.js";
import { type AnalyticsLoaders, createAnalyticsLoaders } from "./analytics/create-analytics-loaders.js";
import type { GraphQLServices } from "./services.js";

export interface GraphQLLoaders extends AnalyticsLoaders {
  /** Keyed by call id; a call given with its time is looked for in its own partitions only. */
  attemptsByCall: DataLoader<CallRef, AttemptRow[], string>;
  feedbackByCall: DataLoader<string, FeedbackRow[]>;
}

/**
 * A new set per request, so nothing is cached across requests or principals. Built on first use:
 * most requests (a completion) read no loader, and the set is nine closures and seven DataLoaders.
 */
export function createLoaders(services: GraphQLServices): GraphQLLoaders {
  let built: GraphQLLoaders | undefined;
  const loaders = (): GraphQLLoaders => (built ??= buildLoaders(services));
  return {
    get keyById() {
      return loaders().keyById;
    },
    get teamById() {
      return loaders().teamById;
    },
    get keysByTeam() {
      return loaders().keysByTeam;
    },
    get healthByGroup() {
      return loaders().healthByGroup;
    },
    get deploymentUsage() {
      return loaders().deploymentUsage;
    },
    get deploymentOutcomes() {
      return loaders().deploymentOutcomes;
    },
    requestNow: () => loaders().requestNow(),
    get attemptsByCall() {
      return loaders().attemptsByCall;
    },
    get feedbackByCall() {
      return loaders().feedbackByCall;
    },
  };
}

function buildLoaders(services: GraphQLServices): GraphQLLoaders {
  return {
    ...createAnalyticsLoaders(services),
    attemptsByCall: new DataLoader<CallRef, AttemptRow[], string>(
      async (calls) => {
        const grouped = await services.calls.getAttempts(calls);
        return calls.map((call) => grouped.get(typeof call === "string" ? call : call.id) ?? []);
      },
      { cacheKeyFn: (call) => (typeof call === "string" ? call : call.id) },
    ),
    feedbackByCall: new DataLoader(async (callIds) => {
      const grouped = await services.feedback.byCalls(callIds);
      return callIds.map((id) => grouped.get(id) ?? []);
    }),
  };
}
