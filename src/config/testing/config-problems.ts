import { ConfigError } from "../config-error.js";
import { loadConfig } from "../load-config.js";

/** The problems a ConfigError thrown by `run` lists; [] when it does not throw; anything else is rethrown. */
export function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (ConfigError.isInstance(error)) return error.problems;
    throw error;
  }
  return [];
}

/** The problems loading this config text reports (with these environment variables). */
export const configProblems = (text: string, env: Record<string, string> = {}): string[] => problemsOf(() => loadConfig({ text, env }));
