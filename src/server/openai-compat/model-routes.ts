import { modelNotFound } from "../../core/index.js";
import type { Principal } from "../../governance/principal.js";
import type { ModelGroupInfo } from "../../graphql/services.js";
import { V1_DOORS } from "../v1-doors.js";

export interface ModelRoutesOptions {
  models(): ModelGroupInfo[];
  /** Whether the caller may use a model group (listed under these names); absent = every model. */
  mayUseModel?(principal: Principal, names: readonly string[]): boolean;
}

const PREFIX = `${V1_DOORS.models.path}/`;

/** `GET /v1/models` and `GET /v1/models/{id}`: groups and aliases the caller may use, in OpenAI's model shape. */
export function createModelRoutes(options: ModelRoutesOptions) {
  const visible = (principal: Principal) =>
    options.models().filter((group) => options.mayUseModel?.(principal, [group.name, ...group.aliases]) ?? true);
  const toModel = (id: string, created: number) => ({ id, object: "model", created, owned_by: "switchyard" });

  return {
    /** The id named by a `/v1/models/{id}` path (decoded; it may hold slashes), or undefined for another path. */
    idOf(path: string): string | undefined {
      if (!path.startsWith(PREFIX) || path.length === PREFIX.length) return undefined;
      try {
        return decodeURIComponent(path.slice(PREFIX.length));
      } catch {
        return path.slice(PREFIX.length);
      }
    },

    list(principal: Principal, created: number) {
      const data = visible(principal).flatMap((group) => [group.name, ...group.aliases].map((id) => toModel(id, created)));
      return { object: "list", data };
    },

    /** One model; MODEL_NOT_FOUND (404) when it is unknown or not the caller's to use, so a key cannot probe for names. */
    retrieve(principal: Principal, id: string, created: number) {
      const found = visible(principal).some((group) => group.name === id || group.aliases.includes(id));
      if (!found) throw modelNotFound(id);
      return toModel(id, created);
    },
  };
}
