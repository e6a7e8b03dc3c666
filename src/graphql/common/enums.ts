import { registerEnumType } from "type-graphql";

export enum MessageRole {
  SYSTEM = "system",
  USER = "user",
  ASSISTANT = "assistant",
  TOOL = "tool",
}
registerEnumType(MessageRole, { name: "Role" });

export enum FinishReason {
  STOP = "stop",
  LENGTH = "length",
  TOOL_CALLS = "tool_calls",
  CONTENT_FILTER = "content_filter",
  ERROR = "error",
}
registerEnumType(FinishReason, { name: "FinishReason" });

export enum ReasoningEffortLevel {
  MINIMAL = "minimal",
  LOW = "low",
  MEDIUM = "medium",
  HIGH = "high",
}
registerEnumType(ReasoningEffortLevel, {
  name: "ReasoningEffort",
  description: "How much a reasoning model should think: OpenAI reasoning_effort, an Anthropic thinking budget, a Gemini thinkingBudget.",
});

export enum CallStatus {
  SUCCESS = "SUCCESS",
  ERROR = "ERROR",
  CANCELLED = "CANCELLED",
}
registerEnumType(CallStatus, { name: "CallStatus" });

export enum CallKind {
  COMPLETION = "COMPLETION",
  EMBEDDING = "EMBEDDING",
}
registerEnumType(CallKind, { name: "CallKind", description: "What a call asked for." });

export enum AttemptOutcome {
  SUCCESS = "SUCCESS",
  ERROR = "ERROR",
  CANCELLED = "CANCELLED",
}
registerEnumType(AttemptOutcome, { name: "AttemptOutcome" });

export enum ResponseFormatType {
  TEXT = "text",
  JSON_OBJECT = "json_object",
  JSON_SCHEMA = "json_schema",
}
registerEnumType(ResponseFormatType, { name: "ResponseFormatType" });

export enum UsageDimension {
  MODEL = "MODEL",
  PROVIDER = "PROVIDER",
  DEPLOYMENT = "DEPLOYMENT",
  KEY = "KEY",
  TEAM = "TEAM",
  USER = "USER",
  TAG = "TAG",
  STATUS = "STATUS",
  ERROR_CLASS = "ERROR_CLASS",
}
registerEnumType(UsageDimension, { name: "UsageDimension", description: "MODEL is the model group the call was routed in (aliases resolved)." });

export enum TimeBucket {
  MINUTE = "MINUTE",
  HOUR = "HOUR",
  DAY = "DAY",
  WEEK = "WEEK",
  MONTH = "MONTH",
}
registerEnumType(TimeBucket, { name: "TimeBucket" });
