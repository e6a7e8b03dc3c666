import type { DeploymentOutcomes as StoredOutcomes } from "../../db/index.js";
import { DEPLOYMENT_FAULT_KINDS } from "../../routing/index.js";
import type { ProviderErrorKind } from "../../core/index.js";
import { DeploymentOutcomes, ErrorKindCount } from "./deployment-outcomes.type.js";
import { HealthStatus } from "./deployment-health.type.js";

/** The persisted error rate at or above which a deployment without live samples reads DEGRADED. */
export const PERSISTED_DEGRADED_ERROR_RATE = 0.1;

export function toDeploymentOutcomesView(stored: StoredOutcomes | undefined, windowMinutes: number, since: Date): DeploymentOutcomes {
  const kinds = [...(stored?.failedByKind ?? new Map<string, number>()).entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const failed = kinds.reduce((sum, [kind, count]) => sum + (DEPLOYMENT_FAULT_KINDS.has(kind as ProviderErrorKind) ? count : 0), 0);
  const succeeded = stored?.succeeded ?? 0;
  return Object.assign(new DeploymentOutcomes(), {
    windowMinutes,
    since,
    attempts: stored?.attempts ?? 0,
    succeeded,
    failed,
    errorRate: succeeded + failed === 0 ? 0 : failed / (succeeded + failed),
    cancelled: stored?.cancelled ?? 0,
    hedged: stored?.hedged ?? 0,
    errorKinds: kinds.map(([kind, count]) => Object.assign(new ErrorKindCount(), { kind, count })),
    latencyP50Ms: stored?.latencyP50Ms ?? null,
    latencyP95Ms: stored?.latencyP95Ms ?? null,
  });
}

/**
 * The status of a deployment this instance has no live samples of (it just started, or sent it
 * nothing): from what every instance stored over the window — HEALTHY below
 * PERSISTED_DEGRADED_ERROR_RATE, DEGRADED at or above it, UNKNOWN with no judged attempts.
 */
export function statusFromOutcomes(outcomes: DeploymentOutcomes): HealthStatus {
  if (outcomes.succeeded + outcomes.failed === 0) return HealthStatus.UNKNOWN;
  return outcomes.errorRate >= PERSISTED_DEGRADED_ERROR_RATE ? HealthStatus.DEGRADED : HealthStatus.HEALTHY;
}
