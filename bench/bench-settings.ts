/** Knobs of `npm run bench`, from the environment; every one has a default sized for ~1–2 minutes on 2 cores. */
export interface BenchSettings {
  connections: number;
  seconds: number;
  warmupSeconds: number;
  streamConcurrency: number;
  streams: number;
  streamWarmup: number;
  /** Concurrent subscriptions per graphql-ws connection. */
  streamsPerWsClient: number;
  callLogRecords: number;
  databaseUrl?: string;
  /** Folder for the gateway's .cpuprofile (`node --cpu-prof`); absent: no profiling. */
  cpuProfileDir?: string;
}

export function readBenchSettings(env: NodeJS.ProcessEnv, defaultProfileDir: string): BenchSettings {
  const int = (name: string, fallback: number): number => {
    const text = env[name];
    if (text === undefined || text === "") return fallback;
    const value = Number(text);
    if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got "${text}"`);
    return value;
  };
  const profile = env.BENCH_CPU_PROF;
  return {
    connections: int("BENCH_CONNECTIONS", 100),
    seconds: int("BENCH_SECONDS", 10),
    warmupSeconds: int("BENCH_WARMUP_SECONDS", 2),
    streamConcurrency: int("BENCH_STREAM_CONCURRENCY", 50),
    streams: int("BENCH_STREAMS", 2000),
    streamWarmup: int("BENCH_STREAM_WARMUP", 200),
    streamsPerWsClient: int("BENCH_STREAMS_PER_WS", 10),
    callLogRecords: int("BENCH_CALL_LOG_RECORDS", 100_000),
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
    ...(profile ? { cpuProfileDir: profile === "1" ? defaultProfileDir : profile } : {}),
  };
}
