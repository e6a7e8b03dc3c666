import { type SQL, and, eq, gte, lt } from "drizzle-orm";
import { calls } from "./schema/index.js";

/** Which calls a listing or a usage report covers; every field narrows. */
export interface CallFilter {
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
  modelGroup?: string;
  provider?: string;
  deployment?: string;
  status?: string;
  keyId?: string;
  endUser?: string;
}

/** The filter as a WHERE condition (parameters only), or undefined when it selects everything. */
export function callFilterToSql(filter: CallFilter = {}): SQL | undefined {
  const conditions: Array<SQL | undefined> = [
    filter.from === undefined ? undefined : gte(calls.createdAt, filter.from),
    filter.to === undefined ? undefined : lt(calls.createdAt, filter.to),
    filter.modelGroup === undefined ? undefined : eq(calls.modelGroup, filter.modelGroup),
    filter.provider === undefined ? undefined : eq(calls.provider, filter.provider),
    filter.deployment === undefined ? undefined : eq(calls.deployment, filter.deployment),
    filter.status === undefined ? undefined : eq(calls.status, filter.status as typeof calls.status._.data),
    filter.keyId === undefined ? undefined : eq(calls.keyId, filter.keyId),
    filter.endUser === undefined ? undefined : eq(calls.endUser, filter.endUser),
  ];
  return and(...conditions);
}
