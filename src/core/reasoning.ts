/** How much a reasoning model should think: OpenAI's effort levels, or a token budget (Anthropic, Gemini). */
export type ReasoningEffort = "minimal" | "low" | "medium" | "high";

export const REASONING_EFFORTS: readonly ReasoningEffort[] = ["minimal", "low", "medium", "high"];

/** A request's reasoning settings; a provider that takes the other form gets it converted (below). */
export interface ReasoningSettings {
  effort?: ReasoningEffort;
  /** Thinking tokens allowed (Anthropic `budget_tokens`, Gemini `thinkingBudget`). */
  budgetTokens?: number;
}

/** Budgets for effort levels, for providers that take a budget (Anthropic needs at least 1,024). */
const BUDGET_OF: Readonly<Record<ReasoningEffort, number>> = { minimal: 1024, low: 2048, medium: 8192, high: 24_576 };

export const reasoningBudget = (settings: ReasoningSettings): number => settings.budgetTokens ?? BUDGET_OF[settings.effort ?? "medium"];

/** The effort level for providers that take one: the request's, else the nearest to its budget. */
export function reasoningEffort(settings: ReasoningSettings): ReasoningEffort {
  if (settings.effort !== undefined) return settings.effort;
  const budget = settings.budgetTokens ?? BUDGET_OF.medium;
  return budget <= BUDGET_OF.low ? "low" : budget <= BUDGET_OF.medium ? "medium" : "high";
}
