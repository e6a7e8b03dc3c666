import type { CallRecord } from "../core/index.js";
import type { CompletionCommand } from "../gateway/completion-types.js";
import type { CompletionService } from "../gateway/create-completion-service.js";
import type { Principal } from "./principal.js";

/** A command with the caller on it (and, when given, what to tell once its call is recorded). */
export function withCaller<C extends Omit<CompletionCommand, "request">>(command: C, principal: Principal, onRecorded?: (call: CallRecord) => void): C {
  const observed = onRecorded ? { onRecorded } : {};
  return principal.kind === "key" ? { ...command, ...observed, principal, keyId: principal.keyId, teamId: principal.teamId } : { ...command, ...observed, principal };
}

/**
 * The completion service as one caller sees it: every command carries the caller, so each
 * transport only authenticates and the governance hook inside the service does the rest.
 */
export function completionsForPrincipal(service: CompletionService, principal: Principal, onRecorded?: (call: CallRecord) => void): CompletionService {
  return {
    complete: (command) => service.complete(withCaller(command, principal, onRecorded)),
    stream: (command) => service.stream(withCaller(command, principal, onRecorded)),
    embed: (command) => service.embed(withCaller(command, principal, onRecorded)),
  };
}
