import { sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { selectRollupsFromCalls } from "../src/db/index.js";
const grain = Number(process.argv[2]); const breakdown = Number(process.argv[3]) as 0|1|2|3;
const q = selectRollupsFromCalls(grain, sql.raw(`created_at >= '2026-01-15' and created_at < '2026-01-16'`), { breakdown });
const r = new PgDialect().sqlToQuery(q);
console.log(r.sql);
