/** `npm run -s router:eval -- …`: see src/routing/quality/run-router-eval.ts and docs/quality-router.md. */
import { processIo } from "../src/routing/quality/router-command-io.js";
import { runRouterEval } from "../src/routing/quality/run-router-eval.js";

process.exitCode = await runRouterEval(process.argv.slice(2), processIo);
