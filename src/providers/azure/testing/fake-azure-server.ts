import type { FakeAnswerOptions, FakeProviderServer } from "../../openai-compatible/testing/fake-answer.js";
import { startFakeOpenAICompatibleServer } from "../../openai-compatible/testing/fake-openai-compatible-server.js";

/**
 * A fake Azure OpenAI resource: `baseUrl` is its root; any deployment name answers, with
 * Azure's filter-only first stream chunk and content-filter results on every choice.
 */
export function startFakeAzureServer(options: FakeAnswerOptions = {}): Promise<FakeProviderServer> {
  return startFakeOpenAICompatibleServer({ ...options, flavor: "azure" });
}
