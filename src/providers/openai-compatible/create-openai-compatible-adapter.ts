import { createOpenAIAdapter, type OpenAIAdapterSettings } from "../openai/create-openai-adapter.js";
import type { ProviderAdapter } from "../spec.js";
import { resolveOpenAICompatiblePreset } from "./resolve-openai-compatible-preset.js";

export interface OpenAICompatibleAdapterSettings extends OpenAIAdapterSettings {
  /** A name from OPENAI_COMPATIBLE_PRESETS; else `extra.preset`, else inferred from the base URL's host. */
  preset?: string;
}

const hasAuthorizationHeader = (headers: unknown): boolean =>
  typeof headers === "object" && headers !== null && Object.keys(headers).some((key) => key.toLowerCase() === "authorization");

/**
 * An adapter for a server that speaks OpenAI Chat Completions, shaped by its preset: the
 * preset's base URL unless the deployment gives one, its token-limit field unless
 * `extra.maxTokensField` says otherwise, and its quirks. Without a preset it is the plain
 * OpenAI adapter. A preset with `auth: "bearer"` refuses to start without a key (or an
 * `authorization` header in `extra.headers`); `none` sends a key only when one is configured.
 */
export function createOpenAICompatibleAdapter(settings: OpenAICompatibleAdapterSettings): ProviderAdapter {
  const { preset: presetName, ...rest } = settings;
  const resolved = resolveOpenAICompatiblePreset({
    baseUrl: settings.baseUrl,
    extra: settings.extra,
    ...(presetName !== undefined ? { preset: presetName } : {}),
  });
  if (resolved === undefined) return createOpenAIAdapter(rest);

  const { name, preset } = resolved;
  if (preset.auth === "bearer" && !settings.apiKey && !hasAuthorizationHeader(settings.extra.headers)) {
    throw new Error(`openai-compatible preset "${name}" needs an apiKey`);
  }
  const extra =
    preset.maxTokensField !== undefined && settings.extra.maxTokensField === undefined
      ? { ...settings.extra, maxTokensField: preset.maxTokensField }
      : settings.extra;
  return createOpenAIAdapter({
    ...rest,
    baseUrl: settings.baseUrl || preset.baseUrl,
    extra,
    ...(preset.quirks !== undefined ? { quirks: { ...preset.quirks, ...settings.quirks } } : {}),
  });
}
