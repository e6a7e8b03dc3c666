/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query Call($id: ID!) {\n  call(id: $id) {\n    id\n    status\n    streamed\n    costUsd\n    costUsdExact\n    promptTokens\n    completionTokens\n    errorKind\n    attemptCount\n    attempts {\n      index\n      deployment\n      outcome\n      errorClass\n      costUsd\n    }\n  }\n}": typeof types.CallDocument,
    "query Calls($filter: CallFilter, $first: Int, $after: String) {\n  calls(filter: $filter, first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        id\n        createdAt\n        requestedModel\n        modelGroup\n        provider\n        deployment\n        providerModel\n        status\n        errorKind\n        streamed\n        promptTokens\n        completionTokens\n        cachedTokens\n        costUsd\n        costUsdExact\n        latencyMs\n        ttftMs\n        attemptCount\n        user\n        metadata\n        attempts {\n          index\n          deployment\n          outcome\n          errorClass\n        }\n      }\n    }\n  }\n}": typeof types.CallsDocument,
    "mutation Complete($input: CompletionInput!) {\n  complete(input: $input) {\n    id\n    model\n    modelGroup\n    provider\n    deployment\n    finishReason\n    rawFinishReason\n    costUsd\n    latencyMs\n    message {\n      role\n      content\n      toolCalls {\n        id\n        name\n        arguments\n      }\n    }\n    usage {\n      promptTokens\n      completionTokens\n      totalTokens\n      cachedTokens\n    }\n    attempts {\n      index\n      deployment\n      outcome\n      errorClass\n      latencyMs\n      costUsd\n    }\n  }\n}": typeof types.CompleteDocument,
    "subscription CompletionStream($input: CompletionInput!) {\n  completionStream(input: $input) {\n    callId\n    index\n    delta\n    toolCallDeltas {\n      index\n      id\n      name\n      argumentsDelta\n    }\n    deployment\n    model\n    finishReason\n    costUsd\n    done\n    usage {\n      promptTokens\n      completionTokens\n      totalTokens\n      cachedTokens\n    }\n  }\n}": typeof types.CompletionStreamDocument,
    "subscription DeploymentHealthChanged($model: String) {\n  deploymentHealthChanged(model: $model) {\n    deployment\n    model\n    status\n    cooldownUntil\n    lastError\n  }\n}": typeof types.DeploymentHealthChangedDocument,
    "query ModelHealth($model: String) {\n  modelHealth(model: $model) {\n    deployment\n    model\n    provider\n    status\n    errorRate\n    attempts\n    latencyP50Ms\n    cooldownUntil\n    lastError\n    inFlight\n    rpmUsed\n  }\n}": typeof types.ModelHealthDocument,
    "query Models {\n  models {\n    name\n    aliases\n    strategy\n    fallbacks\n    deployments {\n      id\n      provider\n      model\n      weight\n      contextWindow\n      inputPerMTok\n      outputPerMTok\n      cachedInputPerMTok\n    }\n  }\n}": typeof types.ModelsDocument,
    "query Usage($filter: UsageFilter, $groupBy: [UsageDimension!], $bucket: TimeBucket) {\n  usage(filter: $filter, groupBy: $groupBy, bucket: $bucket) {\n    totals {\n      requests\n      errors\n      promptTokens\n      completionTokens\n      costUsd\n      costUsdExact\n      latencyP50Ms\n      latencyP95Ms\n      latencyP99Ms\n    }\n    rows {\n      key\n      bucketStart\n      requests\n      errors\n      costUsd\n      costUsdExact\n    }\n  }\n}": typeof types.UsageDocument,
};
const documents: Documents = {
    "query Call($id: ID!) {\n  call(id: $id) {\n    id\n    status\n    streamed\n    costUsd\n    costUsdExact\n    promptTokens\n    completionTokens\n    errorKind\n    attemptCount\n    attempts {\n      index\n      deployment\n      outcome\n      errorClass\n      costUsd\n    }\n  }\n}": types.CallDocument,
    "query Calls($filter: CallFilter, $first: Int, $after: String) {\n  calls(filter: $filter, first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        id\n        createdAt\n        requestedModel\n        modelGroup\n        provider\n        deployment\n        providerModel\n        status\n        errorKind\n        streamed\n        promptTokens\n        completionTokens\n        cachedTokens\n        costUsd\n        costUsdExact\n        latencyMs\n        ttftMs\n        attemptCount\n        user\n        metadata\n        attempts {\n          index\n          deployment\n          outcome\n          errorClass\n        }\n      }\n    }\n  }\n}": types.CallsDocument,
    "mutation Complete($input: CompletionInput!) {\n  complete(input: $input) {\n    id\n    model\n    modelGroup\n    provider\n    deployment\n    finishReason\n    rawFinishReason\n    costUsd\n    latencyMs\n    message {\n      role\n      content\n      toolCalls {\n        id\n        name\n        arguments\n      }\n    }\n    usage {\n      promptTokens\n      completionTokens\n      totalTokens\n      cachedTokens\n    }\n    attempts {\n      index\n      deployment\n      outcome\n      errorClass\n      latencyMs\n      costUsd\n    }\n  }\n}": types.CompleteDocument,
    "subscription CompletionStream($input: CompletionInput!) {\n  completionStream(input: $input) {\n    callId\n    index\n    delta\n    toolCallDeltas {\n      index\n      id\n      name\n      argumentsDelta\n    }\n    deployment\n    model\n    finishReason\n    costUsd\n    done\n    usage {\n      promptTokens\n      completionTokens\n      totalTokens\n      cachedTokens\n    }\n  }\n}": types.CompletionStreamDocument,
    "subscription DeploymentHealthChanged($model: String) {\n  deploymentHealthChanged(model: $model) {\n    deployment\n    model\n    status\n    cooldownUntil\n    lastError\n  }\n}": types.DeploymentHealthChangedDocument,
    "query ModelHealth($model: String) {\n  modelHealth(model: $model) {\n    deployment\n    model\n    provider\n    status\n    errorRate\n    attempts\n    latencyP50Ms\n    cooldownUntil\n    lastError\n    inFlight\n    rpmUsed\n  }\n}": types.ModelHealthDocument,
    "query Models {\n  models {\n    name\n    aliases\n    strategy\n    fallbacks\n    deployments {\n      id\n      provider\n      model\n      weight\n      contextWindow\n      inputPerMTok\n      outputPerMTok\n      cachedInputPerMTok\n    }\n  }\n}": types.ModelsDocument,
    "query Usage($filter: UsageFilter, $groupBy: [UsageDimension!], $bucket: TimeBucket) {\n  usage(filter: $filter, groupBy: $groupBy, bucket: $bucket) {\n    totals {\n      requests\n      errors\n      promptTokens\n      completionTokens\n      costUsd\n      costUsdExact\n      latencyP50Ms\n      latencyP95Ms\n      latencyP99Ms\n    }\n    rows {\n      key\n      bucketStart\n      requests\n      errors\n      costUsd\n      costUsdExact\n    }\n  }\n}": types.UsageDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Call($id: ID!) {\n  call(id: $id) {\n    id\n    status\n    streamed\n    costUsd\n    costUsdExact\n    promptTokens\n    completionTokens\n    errorKind\n    attemptCount\n    attempts {\n      index\n      deployment\n      outcome\n      errorClass\n      costUsd\n    }\n  }\n}"): (typeof documents)["query Call($id: ID!) {\n  call(id: $id) {\n    id\n    status\n    streamed\n    costUsd\n    costUsdExact\n    promptTokens\n    completionTokens\n    errorKind\n    attemptCount\n    attempts {\n      index\n      deployment\n      outcome\n      errorClass\n      costUsd\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Calls($filter: CallFilter, $first: Int, $after: String) {\n  calls(filter: $filter, first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        id\n        createdAt\n        requestedModel\n        modelGroup\n        provider\n        deployment\n        providerModel\n        status\n        errorKind\n        streamed\n        promptTokens\n        completionTokens\n        cachedTokens\n        costUsd\n        costUsdExact\n        latencyMs\n        ttftMs\n        attemptCount\n        user\n        metadata\n        attempts {\n          index\n          deployment\n          outcome\n          errorClass\n        }\n      }\n    }\n  }\n}"): (typeof documents)["query Calls($filter: CallFilter, $first: Int, $after: String) {\n  calls(filter: $filter, first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        id\n        createdAt\n        requestedModel\n        modelGroup\n        provider\n        deployment\n        providerModel\n        status\n        errorKind\n        streamed\n        promptTokens\n        completionTokens\n        cachedTokens\n        costUsd\n        costUsdExact\n        latencyMs\n        ttftMs\n        attemptCount\n        user\n        metadata\n        attempts {\n          index\n          deployment\n          outcome\n          errorClass\n        }\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Complete($input: CompletionInput!) {\n  complete(input: $input) {\n    id\n    model\n    modelGroup\n    provider\n    deployment\n    finishReason\n    rawFinishReason\n    costUsd\n    latencyMs\n    message {\n      role\n      content\n      toolCalls {\n        id\n        name\n        arguments\n      }\n    }\n    usage {\n      promptTokens\n      completionTokens\n      totalTokens\n      cachedTokens\n    }\n    attempts {\n      index\n      deployment\n      outcome\n      errorClass\n      latencyMs\n      costUsd\n    }\n  }\n}"): (typeof documents)["mutation Complete($input: CompletionInput!) {\n  complete(input: $input) {\n    id\n    model\n    modelGroup\n    provider\n    deployment\n    finishReason\n    rawFinishReason\n    costUsd\n    latencyMs\n    message {\n      role\n      content\n      toolCalls {\n        id\n        name\n        arguments\n      }\n    }\n    usage {\n      promptTokens\n      completionTokens\n      totalTokens\n      cachedTokens\n    }\n    attempts {\n      index\n      deployment\n      outcome\n      errorClass\n      latencyMs\n      costUsd\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription CompletionStream($input: CompletionInput!) {\n  completionStream(input: $input) {\n    callId\n    index\n    delta\n    toolCallDeltas {\n      index\n      id\n      name\n      argumentsDelta\n    }\n    deployment\n    model\n    finishReason\n    costUsd\n    done\n    usage {\n      promptTokens\n      completionTokens\n      totalTokens\n      cachedTokens\n    }\n  }\n}"): (typeof documents)["subscription CompletionStream($input: CompletionInput!) {\n  completionStream(input: $input) {\n    callId\n    index\n    delta\n    toolCallDeltas {\n      index\n      id\n      name\n      argumentsDelta\n    }\n    deployment\n    model\n    finishReason\n    costUsd\n    done\n    usage {\n      promptTokens\n      completionTokens\n      totalTokens\n      cachedTokens\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription DeploymentHealthChanged($model: String) {\n  deploymentHealthChanged(model: $model) {\n    deployment\n    model\n    status\n    cooldownUntil\n    lastError\n  }\n}"): (typeof documents)["subscription DeploymentHealthChanged($model: String) {\n  deploymentHealthChanged(model: $model) {\n    deployment\n    model\n    status\n    cooldownUntil\n    lastError\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ModelHealth($model: String) {\n  modelHealth(model: $model) {\n    deployment\n    model\n    provider\n    status\n    errorRate\n    attempts\n    latencyP50Ms\n    cooldownUntil\n    lastError\n    inFlight\n    rpmUsed\n  }\n}"): (typeof documents)["query ModelHealth($model: String) {\n  modelHealth(model: $model) {\n    deployment\n    model\n    provider\n    status\n    errorRate\n    attempts\n    latencyP50Ms\n    cooldownUntil\n    lastError\n    inFlight\n    rpmUsed\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Models {\n  models {\n    name\n    aliases\n    strategy\n    fallbacks\n    deployments {\n      id\n      provider\n      model\n      weight\n      contextWindow\n      inputPerMTok\n      outputPerMTok\n      cachedInputPerMTok\n    }\n  }\n}"): (typeof documents)["query Models {\n  models {\n    name\n    aliases\n    strategy\n    fallbacks\n    deployments {\n      id\n      provider\n      model\n      weight\n      contextWindow\n      inputPerMTok\n      outputPerMTok\n      cachedInputPerMTok\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Usage($filter: UsageFilter, $groupBy: [UsageDimension!], $bucket: TimeBucket) {\n  usage(filter: $filter, groupBy: $groupBy, bucket: $bucket) {\n    totals {\n      requests\n      errors\n      promptTokens\n      completionTokens\n      costUsd\n      costUsdExact\n      latencyP50Ms\n      latencyP95Ms\n      latencyP99Ms\n    }\n    rows {\n      key\n      bucketStart\n      requests\n      errors\n      costUsd\n      costUsdExact\n    }\n  }\n}"): (typeof documents)["query Usage($filter: UsageFilter, $groupBy: [UsageDimension!], $bucket: TimeBucket) {\n  usage(filter: $filter, groupBy: $groupBy, bucket: $bucket) {\n    totals {\n      requests\n      errors\n      promptTokens\n      completionTokens\n      costUsd\n      costUsdExact\n      latencyP50Ms\n      latencyP95Ms\n      latencyP99Ms\n    }\n    rows {\n      key\n      bucketStart\n      requests\n      errors\n      costUsd\n      costUsdExact\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;