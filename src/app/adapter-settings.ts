import type { Config, DeploymentConfig } from "../config/index.js";

/** The provider-specific settings of a deployment the adapters read from `extra`. */
export function providerExtra(d: DeploymentConfig): Record<string, unknown> {
  const extra: Record<string, unknown> = {};
  for (const key of ["apiVersion", "deployment", "region", "accessKeyId", "secretAccessKey", "sessionToken", "preset"] as const) {
    if (d[key] !== undefined) extra[key] = d[key];
  }
  return extra;
}

/** Where each provider's adapter finds the simulator, with stand-in credentials it will accept. */
export function simulatedSettings(d: DeploymentConfig, root: string, extra: Record<string, unknown>) {
  const openAIShaped = d.provider === "simulator" || d.provider === "openai" || d.provider === "openai-compatible";
  const stand = {
    ...extra,
    ...(d.provider === "bedrock" ? { region: d.region ?? "us-east-1", accessKeyId: d.accessKeyId ?? "SIMULATED", secretAccessKey: d.secretAccessKey ?? "simulated" } : {}),
    ...(d.provider === "azure" ? { deployment: d.deployment ?? d.model } : {}),
  };
  return {
    provider: d.provider,
    baseUrl: openAIShaped ? `${root}/v1` : root,
    ...(d.provider === "bedrock" ? {} : { apiKey: d.apiKey ?? "simulated" }),
    extra: stand,
  };
}

/** The config path of a deployment, for error messages: models[g].deployments[d]. */
export function deploymentPath(config: Config, deployment: DeploymentConfig): string {
  for (const [g, group] of config.models.entries()) {
    const d = group.deployments.indexOf(deployment);
    if (d >= 0) return `models[${g}].deployments[${d}]`;
  }
  return deployment.id;
}
