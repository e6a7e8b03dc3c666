import { defineConfig } from "drizzle-kit";

// Migrations are generated from the schema (`npm run db:generate`) and never hand-edited.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/db/schema/index.ts",
  out: "./drizzle",
});
