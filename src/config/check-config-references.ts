import { AnswerCheckError, compileAnswerCheck } from "../routing/quality/answer-checks.js";
import { thresholdProblem } from "../routing/quality/choose-tier.js";
import type { Config, ModelGroupConfig } from "./config-schema.js";

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
        problems.push(`${path}.apiKey: provider "${deployment.provider}" needs an apiKey`);
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
  const tiered = new Set(config.models.filter((group) => group.quality || group.cascade).map((group) => group.name));
  const checkList = (list: string[] | undefined, path: string) =>
    list?.forEach((name, i) => {
      if (!groupNames.has(name)) problems.push(`${path}[${i}]: unknown model group "${name}"`);
      else if (tiered.has(name)) problems.push(`${path}[${i}]: "${name}" routes over tiers and cannot be a fallback`);
    });
  config.models.forEach((group, g) => {
    checkList(group.fallbacks, `models[${g}].fallbacks`);
    checkList(group.contextWindowFallbacks, `models[${g}].contextWindowFallbacks`);
    checkList(group.contentPolicyFallbacks, `models[${g}].contentPolicyFallbacks`);
    checkList(group.rateLimitFallbacks, `models[${g}].rateLimitFallbacks`);
    if (group.fallbacks.includes(group.name)) problems.push(`models[${g}].fallbacks: a group cannot fall back to itself`);
  });
  config.models.forEach((group, g) => problems.push(...tierProblems(group, `models[${g}]`, groupNames, tiered)));
  checkList(config.router.fallbacks.rateLimit, "router.fallbacks.rateLimit");
  checkList(config.router.fallbacks.contextWindow, "router.fallbacks.contextWindow");
  checkList(config.router.fallbacks.contentPolicy, "router.fallbacks.contentPolicy");
  return problems;
}

/**
 * A quality or cascade group's tiers are plain groups (no nesting: a tier that routes over tiers
 * itself would make one request's decision depend on two scorers and hide where it went), its
 * thresholds fit its tiers, and its checks compile.
 */
function tierProblems(group: ModelGroupConfig, path: string, groupNames: Set<string>, tiered: Set<string>): string[] {
  const policy = group.quality ? "quality" : group.cascade ? "cascade" : undefined;
  if (!policy) return [];
  const problems: string[] = [];
  const tiers = (group.quality ?? group.cascade)!.tiers;
  tiers.forEach((name, i) => {
    const at = `${path}.${policy}.tiers[${i}]`;
    if (!groupNames.has(name)) problems.push(`${at}: unknown model group "${name}"`);
    else if (tiered.has(name)) problems.push(`${at}: "${name}" routes over tiers itself; a tier must be a group with deployments (tiers do not nest)`);
    else if (tiers.indexOf(name) !== i) problems.push(`${at}: "${name}" is already tier ${tiers.indexOf(name)}`);
  });
  if (group.quality) {
    const { threshold, strongShare } = group.quality;
    if (threshold !== undefined) {
      const problem = thresholdProblem(typeof threshold === "number" ? [threshold] : threshold, tiers.length);
      if (problem) problems.push(`${path}.quality.threshold: ${problem}`);
    }
    if (strongShare !== undefined && tiers.length !== 2) {
      problems.push(`${path}.quality.strongShare: strongShare splits two tiers; give threshold (one per boundary) for ${tiers.length}`);
    }
  }
  group.cascade?.checks.forEach((check, i) => {
    try {
      compileAnswerCheck(check);
    } catch (error) {
      if (!AnswerCheckError.isInstance(error)) throw error;
      problems.push(`${path}.cascade.checks[${i}].${error.field}: ${error.message}`);
    }
  });
  return problems;
}

function needsApiKey(provider: string): boolean {
  return provider === "openai" || provider === "anthropic" || provider === "gemini" || provider === "azure";
}
