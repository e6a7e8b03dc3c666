import type { ValidationRule } from "graphql";
import { complexityLimitRule } from "./complexity-limit-rule.js";
import { depthLimitRule } from "./depth-limit-rule.js";

export interface QueryLimits {
  maxDepth: number;
  maxComplexity: number;
  maxPageSize: number;
  defaultPageSize: number;
}

/** Room for the deepest real query (calls → edges → node → key → team → keys → …) with margin; a page of 200 calls with every field fits. */
export const DEFAULT_QUERY_LIMITS: QueryLimits = { maxDepth: 12, maxComplexity: 10_000, maxPageSize: 200, defaultPageSize: 50 };

/** The same rules on both doors: Apollo's validationRules (HTTP) and graphql-ws's validate (WebSocket). */
export function queryLimitRules(limits: Partial<QueryLimits> = {}): ValidationRule[] {
  const { maxDepth, maxComplexity, maxPageSize, defaultPageSize } = { ...DEFAULT_QUERY_LIMITS, ...limits };
  return [depthLimitRule(maxDepth), complexityLimitRule({ maxComplexity, maxPageSize, defaultPageSize })];
}
