const PATTERN = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;
const WHOLE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}$/;

/**
 * Replaces `${VAR}` and `${VAR:-default}` in every string of a parsed YAML tree.
 * A string that is exactly one unset `${VAR}` becomes undefined, so optional fields fall back to their defaults.
 */
export function substituteEnv(value: unknown, env: Record<string, string | undefined>): unknown {
  if (typeof value === "string") {
    const whole = WHOLE.exec(value);
    if (whole) {
      const resolved = env[whole[1]!];
      return resolved === undefined || resolved === "" ? whole[2] : resolved;
    }
    return value.replace(PATTERN, (_, name: string, fallback?: string) => env[name] || fallback || "");
  }
  if (Array.isArray(value)) return value.map((item) => substituteEnv(item, env));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const replaced = substituteEnv(item, env);
      if (replaced !== undefined) out[key] = replaced;
    }
    return out;
  }
  return value;
}
