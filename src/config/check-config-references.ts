import type { Config } from "./config-schema.js";

/** Cross-field rules zod cannot express alone: unique names, known fallback groups, credentials present. */
export function checkConfigReferences(config: Config): string[] {
  const problems: string[] = [];
  const names = new Map<string, string>();
  const deploymentIds = new Map<string, string>();

  config.models.forEach((group, g) => {
    const claim = (name: string, path: string) => {
      const previous = names.get(name);
      if (previous) problems.push(`${path}: "${name}" is already used at ${previous}`);
      else names.set(name, path);
    };
    claim(group.name, `models[${g}].name`);
    group.aliases.forEach((alias, a) => claim(alias, `models[${g}].aliases[${a}]`));
    group.deployments.forEach((deployment, d) => {
      const path = `models[${g}].deployments[${d}]`;
      const previous = deploymentIds.get(deployment.id);
      if (previous) problems.push(`${path}.id: "${deployment.id}" is already used at ${previous}`);
      else deploymentIds.set(deployment.id, `${path}.id`);
      const simulated = deployment.simulate !== undefined;
      if (needsApiKey(deployment.provider) && !simulated && !deployment.apiKey && !deployment.baseUrl?.startsWith("http://")) {
        problems.push(`${path}.apiKey: provider "${deployment.provider}" needs an apiKey (is its environment variable set?)`);
      }
      if (deployment.provider === "bedrock" && !simulated && !deployment.apiKey && !(deployment.accessKeyId && deployment.secretAccessKey)) {
        problems.push(`${path}.accessKeyId: provider "bedrock" needs credentials (accessKeyId and secretAccessKey, the AWS_* environment variables, or an apiKey)`);
      }
      if (deployment.provider === "bedrock" && !simulated && !deployment.region && !deployment.baseUrl) {
        problems.push(`${path}.region: provider "bedrock" needs a region (or AWS_REGION, or a baseUrl)`);
      }
      if ((deployment.provider === "openai-compatible" || deployment.provider === "azure") && !simulated && !deployment.baseUrl) {
        problems.push(`${path}.baseUrl: provider "${deployment.provider}" needs a baseUrl`);
      }
    });
  });

  const groupNames = new Set(config.models.map((group) => group.name));
  const checkList = (list: string[] | undefined, path: string) =>
    list?.forEach((name, i) => {
      if (!groupNames.has(name)) problems.push(`${path}[${i}]: unknown model group "${name}"`);
    });
  config.models.forEach((group, g) => {
    checkList(group.fallbacks, `models[${g}].fallbacks`);
    checkList(group.contextWindowFallbacks, `models[${g}].contextWindowFallbacks`);
    checkList(group.contentPolicyFallbacks, `models[${g}].contentPolicyFallbacks`);
    checkList(group.rateLimitFallbacks, `models[${g}].rateLimitFallbacks`);
    if (group.fallbacks.includes(group.name)) problems.push(`models[${g}].fallbacks: a group cannot fall back to itself`);
  });
  checkList(config.router.fallbacks.rateLimit, "router.fallbacks.rateLimit");
  checkList(config.router.fallbacks.contextWindow, "router.fallbacks.contextWindow");
  checkList(config.router.fallbacks.contentPolicy, "router.fallbacks.contentPolicy");
  return problems;
}

function needsApiKey(provider: string): boolean {
  return provider === "openai" || provider === "anthropic" || provider === "gemini" || provider === "azure";
}
