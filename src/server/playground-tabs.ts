/** The example operations the playground opens with. */
export const PLAYGROUND_TABS = [
  {
    query: `# Run one completion through the router (simulated providers in the demo config).
mutation Complete {
  complete(input: {
    model: "fast"
    messages: [{ role: USER, content: "Say hello in five words." }]
    maxTokens: 32
    metadata: { feature: "playground" }
  }) {
    id model provider deployment finishReason costUsd latencyMs
    message { content }
    usage { promptTokens completionTokens totalTokens }
    attempts { deployment outcome errorClass latencyMs }
  }
}`,
  },
  {
    query: `# Watch tokens arrive over graphql-ws; stop the subscription to cancel the upstream call.
subscription Stream {
  completionStream(input: {
    model: "fast"
    messages: [{ role: USER, content: "Tell me a short story." }]
    maxTokens: 64
  }) {
    index delta done finishReason costUsd deployment
    usage { promptTokens completionTokens }
  }
}`,
  },
  {
    query: `# The calls just made, newest first.
query Calls {
  calls(first: 10) {
    totalCount
    edges { node { id createdAt requestedModel deployment status streamed promptTokens completionTokens costUsd latencyMs ttftMs
      attempts { deployment outcome errorClass latencyMs } } }
    pageInfo { hasNextPage endCursor }
  }
}`,
  },
  {
    query: `# Usage and exact cost by model group and status.
query Usage {
  usage(groupBy: [MODEL, STATUS], bucket: HOUR) {
    totals { requests errors promptTokens completionTokens costUsd latencyP50Ms latencyP95Ms }
    rows { key bucketStart requests errors costUsd latencyP50Ms latencyP99Ms }
  }
  models { name aliases deployments { id provider model inputPerMTok outputPerMTok contextWindow } }
}`,
  },
];
