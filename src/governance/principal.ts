/**
 * Who is calling. `admin` is the master key, or anyone in open dev mode (no master key configured).
 * A virtual key's principal holds only ids: its current settings are read at each use, so an
 * update or a revocation applies to open connections too.
 */
export type Principal = { kind: "admin"; open: boolean } | { kind: "key"; keyId: string; teamId: string | null };

export const isAdmin = (principal: Principal | undefined): boolean => principal?.kind === "admin";
