export type { Database, DatabaseKind, DrizzleDb } from "./database.js";
export { type CreateDatabaseOptions, type DatabaseLogger, createDatabase } from "./create-database.js";
export { type PgliteTemplateDescription, type PgliteTemplateFit, checkPgliteTemplate, pgliteTemplatePath } from "./pglite-template.js";
export { writePgliteTemplate } from "./write-pglite-template.js";
export { type DataDirLock, DataDirLockedError, lockDataDir } from "./lock-data-dir.js";
export { findMigrationsFolder } from "./find-migrations-folder.js";
export { queryRows } from "./query-rows.js";
export {
  type CallLogLogger,
  type CallLogState,
  type CallLogWriter,
  type CallLogWriterOptions,
  type CallLogWriterStats,
  CallLogLossError,
} from "./call-log-writer-spec.js";
export { createCallLogWriter } from "./call-log-writer.js";
export { CallWriteError } from "./call-write-error.js";
export { type CallRef, type CallsRepository, type CallsRepositoryOptions, type CallPage, type ListCallsOptions, MAX_PAGE_SIZE, createCallsRepository } from "./calls-repository.js";
export { type CallRetention, type CallRetentionOptions, type CallRetentionSweep, createCallRetention } from "./call-retention.js";
export { type CallPartitionKeeper, type CallPartitionKeeperOptions, createCallPartitionKeeper } from "./call-partition-keeper.js";
export { type CallPartition, PARTITIONED_CALL_TABLES, dropCallPartitionsBefore, ensureCallPartitions, listCallPartitions } from "./call-partitions.js";
export {
  type UsageBucket,
  type UsageDimension,
  type UsageFilter,
  type UsageOptions,
  type UsageReport,
  type UsageRepository,
  type UsageRow,
} from "./usage-types.js";
export { createUsageRepository } from "./usage-repository.js";
export type { AttemptRow, CallRow, CallWithAttempts } from "./call-row.js";
export type { CallFilter } from "./call-filter.js";
export { InvalidCursorError } from "./call-cursor.js";
export { picoToUsd } from "./pico-to-usd.js";
export { attemptRollups, callAttempts, callFeedback, callRollupDeltas, callRollups, calls, storedResponses } from "./schema/index.js";
export { type RollupMerger, type RollupMergerOptions, type RollupMergerStats, createRollupMerger } from "./rollup-merger.js";
export { type CallLogThread, type CallLogThreadOptions, openCallLogThread } from "./open-call-log-thread.js";
export { type MergeOutcome, mergeRollupDeltas } from "./merge-rollup-deltas.js";
export { SKETCH_RELATIVE_ERROR } from "./latency-sketch.js";
export { selectRollupsFromCalls } from "./select-rollups-from-calls.js";
export { type DeploymentOutcomes, type DeploymentOutcomesRepository, createDeploymentOutcomesRepository } from "./deployment-outcomes-repository.js";
export { type FeedbackRepository, type FeedbackRow, createFeedbackRepository } from "./feedback-repository.js";
export { type ResponseOwner, type StoredResponse, type StoredResponsesRepository, createStoredResponsesRepository } from "./stored-responses-repository.js";
