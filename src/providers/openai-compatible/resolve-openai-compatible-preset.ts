import {
  OPENAI_COMPATIBLE_PRESET_NAMES,
  OPENAI_COMPATIBLE_PRESETS,
  type OpenAICompatiblePreset,
  type OpenAICompatiblePresetName,
} from "./presets.js";

export interface ResolvedPreset {
  name: OpenAICompatiblePresetName;
  preset: OpenAICompatiblePreset;
}

export interface PresetSelection {
  baseUrl: string;
  extra: Record<string, unknown>;
  /** Wins over `extra.preset`. */
  preset?: string;
}

const isPresetName = (name: string): name is OpenAICompatiblePresetName => Object.hasOwn(OPENAI_COMPATIBLE_PRESETS, name);

const hostOf = (url: string): string | undefined => {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return undefined;
  }
};

/**
 * The preset a deployment asks for (`preset`, else `extra.preset`), else the one whose base URL
 * has the same host (and port) as the deployment's; undefined when neither applies, which means
 * plain OpenAI behaviour. Naming a preset that does not exist is a configuration error.
 */
export function resolveOpenAICompatiblePreset(selection: PresetSelection): ResolvedPreset | undefined {
  const named = selection.preset ?? selection.extra.preset;
  if (named !== undefined && named !== null && named !== "") {
    if (typeof named !== "string" || !isPresetName(named)) {
      throw new Error(
        `openai-compatible: unknown preset ${JSON.stringify(named)}; known presets: ${OPENAI_COMPATIBLE_PRESET_NAMES.join(", ")}`,
      );
    }
    return { name: named, preset: OPENAI_COMPATIBLE_PRESETS[named] };
  }
  const host = hostOf(selection.baseUrl);
  if (host === undefined) return undefined;
  for (const name of OPENAI_COMPATIBLE_PRESET_NAMES) {
    const preset: OpenAICompatiblePreset = OPENAI_COMPATIBLE_PRESETS[name];
    if (hostOf(preset.baseUrl) === host) return { name, preset };
  }
  return undefined;
}
