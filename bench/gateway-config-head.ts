/**
 * The opening lines of a YAML config for a gateway started as a child process on this machine: on
 * loopback, logging only warnings, on a Postgres `url` or else an embedded PGlite `dataDir`. The rest
 * of the config follows these lines.
 */
export function gatewayConfigHead(database: { url?: string | undefined; dataDir?: string | undefined }): string[] {
  return [
    "server:",
    "  host: 127.0.0.1",
    "logging:",
    "  level: warn",
    "database:",
    database.url !== undefined ? `  url: ${JSON.stringify(database.url)}` : `  dataDir: ${JSON.stringify(database.dataDir)}`,
  ];
}
