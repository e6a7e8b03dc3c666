import type { DeploymentHealthInfo } from "../../gateway/create-health-service.js";
import { DeploymentHealth, type HealthStatus } from "./deployment-health.type.js";

/** The router's live view of a deployment as the DeploymentHealth type (the same shape modelHealth returns). */
export function toDeploymentHealthView(info: DeploymentHealthInfo): DeploymentHealth {
  const s = info.snapshot;
  return Object.assign(new DeploymentHealth(), {
    deployment: info.deployment,
    model: info.model,
    provider: info.provider,
    status: s.status as HealthStatus,
    errorRate: s.errorRate,
    attempts: s.attempts,
    latencyP50Ms: s.latencyP50Ms ?? null,
    latencyP95Ms: s.latencyP95Ms ?? null,
    ttftP50Ms: s.ttftP50Ms ?? null,
    rpmUsed: s.rpmUsed,
    rpmLimit: info.rpmLimit ?? s.headroom?.limitRequests ?? null,
    tpmUsed: s.tpmUsed,
    tpmLimit: info.tpmLimit ?? s.headroom?.limitTokens ?? null,
    cooldownUntil: s.cooldownUntil !== undefined ? new Date(s.cooldownUntil) : null,
    lastError: s.lastError ?? null,
    inFlight: s.inFlight,
  });
}
