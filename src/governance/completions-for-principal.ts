import type { CallRecord } from "../core/index.js";
import type { CompletionCommand } from "../gateway/completion-types.js";
import type { CompletionService } from "../gateway/create-completion-service.js";
import type { Principal } from "./principal.js";

/**
 * The completion service as one caller sees it: every command carries the caller, so each
 * transport only authenticates and the governance hook inside the service does the rest.
 */
export function completionsForPrincipal(service: CompletionService, principal: Principal, onRecorded?: (call: CallRecord) => void): CompletionService {
  const observed = onRecorded ? { onRecorded } : {};
  const withCaller = <C extends Omit<CompletionCommand, "request">>(command: C): C =>
    principal.kind === "key" ? { ...command, ...observed, principal, keyId: principal.keyId, teamId: principal.teamId } : { ...command, ...observed, principal };
  return {
    complete: (command) => service.complete(withCaller(command)),
    stream: (command) => service.stream(withCaller(command)),
    embed: (command) => service.embed(withCaller(command)),
  };
}
