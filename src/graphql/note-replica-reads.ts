import type { GraphQLServices } from "./services.js";

/** One request's record of whether it read the replica (`database.readUrl`), for the response's `replicaLagSeconds`. */
export interface ReplicaReads {
  read: boolean;
}

/**
 * The services whose repositories read the replica, each method noting in `reads` that it ran:
 * calls and usage listings, Call.feedback, and every analytics read. Everything else (completions,
 * keys, live health) is passed through. Built per request only when a replica is configured.
 */
export function noteReplicaReads(services: GraphQLServices, reads: ReplicaReads): GraphQLServices {
  const note = () => {
    reads.read = true;
  };
  return {
    ...services,
    calls: noting(services.calls, note),
    usage: noting(services.usage, note),
    feedback: { ...services.feedback, byCalls: noting({ byCalls: services.feedback.byCalls }, note).byCalls },
    analytics: {
      ...services.analytics,
      keyTeams: noting(services.analytics.keyTeams, note),
      costWhatIf: noting(services.analytics.costWhatIf, note),
      routingSavings: noting(services.analytics.routingSavings, note),
      deploymentOutcomes: noting(services.analytics.deploymentOutcomes, note),
    },
  };
}

/** A copy of an object of functions whose every function calls `note` first. */
function noting<T extends object>(target: T, note: () => void): T {
  const copy: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(target)) {
    copy[name] =
      typeof value === "function"
        ? (...args: unknown[]) => {
            note();
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          }
        : value;
  }
  return copy as T;
}
