import type { ValidationRule } from "graphql";
import { complexityLimitRule } from "./complexity-limit-rule.js";
import { depthLimitRule } from "./depth-limit-rule.js";
import { DEFAULT_GRAPHQL_LIMITS } from "./graphql-limits.js";

export interface QueryLimits {
  maxDepth: number;
  maxComplexity: number;
  maxPageSize: number;
  defaultPageSize: number;
}

/** Page sizes as the schema declares them: calls(first) ≤ 200, 50 when left out. */
export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxDepth: DEFAULT_GRAPHQL_LIMITS.maxDepth,
  maxComplexity: DEFAULT_GRAPHQL_LIMITS.maxComplexity,
  maxPageSize: 200,
  defaultPageSize: 50,
};

/** The same rules on both doors: Apollo's validationRules (HTTP) and graphql-ws's validate (WebSocket). */
export function queryLimitRules(limits: Partial<QueryLimits> = {}): ValidationRule[] {
  const { maxDepth, maxComplexity, maxPageSize, defaultPageSize } = { ...DEFAULT_QUERY_LIMITS, ...limits };
  return [depthLimitRule(maxDepth), complexityLimitRule({ maxComplexity, maxPageSize, defaultPageSize })];
}
