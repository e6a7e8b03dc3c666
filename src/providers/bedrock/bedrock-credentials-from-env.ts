/** Environment variables as `process.env` holds them. */
export type Environment = Readonly<Record<string, string | undefined>>;

const present = (value: unknown): value is string => typeof value === "string" && value !== "";

/**
 * A Bedrock deployment's `extra` with what it leaves out filled from the standard AWS
 * variables: `AWS_REGION` (else `AWS_DEFAULT_REGION`) for `region`, and `AWS_ACCESS_KEY_ID`,
 * `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN` for the credentials. The credentials are taken
 * as one set: a deployment that names its own `accessKeyId` keeps its own secret and token and
 * never gets the environment's session token mixed in. For the composition root; the adapter
 * itself never reads the environment.
 */
export function bedrockCredentialsFromEnv(env: Environment, extra: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  const filled: Record<string, unknown> = { ...extra };
  if (!present(extra.region)) {
    const region = present(env.AWS_REGION) ? env.AWS_REGION : env.AWS_DEFAULT_REGION;
    if (present(region)) filled.region = region;
  }
  if (!present(extra.accessKeyId) && present(env.AWS_ACCESS_KEY_ID) && present(env.AWS_SECRET_ACCESS_KEY)) {
    filled.accessKeyId = env.AWS_ACCESS_KEY_ID;
    filled.secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
    if (present(env.AWS_SESSION_TOKEN)) filled.sessionToken = env.AWS_SESSION_TOKEN;
    else delete filled.sessionToken;
  }
  return filled;
}
