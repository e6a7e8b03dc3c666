import { pino, type DestinationStream, type Logger } from "pino";
import pretty from "pino-pretty";

export type LogFormat = "json" | "pretty";

export interface LoggerOptions {
  level: string;
  /** `pretty` (one coloured line per entry, for a terminal) or `json` (one object per line). */
  format: LogFormat;
  /** Values never written as they are (provider keys from the config, the master key): each becomes [Redacted] wherever it appears. */
  secrets?: readonly (string | undefined)[];
  /** Where lines go (default: stdout). */
  destination?: DestinationStream;
}

/** Header and field paths whose values are never logged. */
export const REDACTED_PATHS = [
  "req.headers.authorization",
  'req.headers["x-api-key"]',
  'req.headers["api-key"]',
  "headers.authorization",
  'headers["x-api-key"]',
  'headers["api-key"]',
  "authorization",
  "*.authorization",
  "apiKey",
  "*.apiKey",
  "*.*.apiKey",
  "secretAccessKey",
  "*.secretAccessKey",
  "sessionToken",
  "*.sessionToken",
  "masterKey",
  "*.masterKey",
  "secret",
  "*.secret",
];

/** `LOG_FORMAT=pretty|json` when set, else pretty on a terminal and JSON otherwise (files, containers, log shippers). */
export function chooseLogFormat(logFormat: string | undefined, isTty: boolean): LogFormat {
  if (logFormat === "pretty" || logFormat === "json") return logFormat;
  if (logFormat !== undefined && logFormat !== "") throw new Error(`LOG_FORMAT: expected "pretty" or "json", got "${logFormat}"`);
  return isTty ? "pretty" : "json";
}

/** The process's pino logger: secrets redacted by path and by value, pretty or JSON. */
export function createLogger(options: LoggerOptions): Logger {
  // Short values would blot out ordinary words; a real key is longer than this.
  const secrets = [...new Set(options.secrets ?? [])].filter((s): s is string => typeof s === "string" && s.length >= 8).sort((a, b) => b.length - a.length);
  const scrub = (line: string) => {
    let out = line;
    for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join("[Redacted]");
    return out;
  };
  const stream =
    options.format === "pretty"
      ? pretty({
          colorize: options.destination === undefined && process.stdout.isTTY === true,
          sync: true,
          translateTime: "HH:MM:ss.l",
          ignore: "pid,hostname",
          ...(options.destination ? { destination: options.destination } : {}),
        })
      : (options.destination ?? pino.destination(1));
  return pino(
    {
      level: options.level,
      redact: { paths: REDACTED_PATHS, censor: "[Redacted]" },
      ...(secrets.length > 0 ? { hooks: { streamWrite: scrub } } : {}),
    },
    stream,
  );
}
