import { readRoutingCsv } from "./read-routing-csv.js";
import { loadRouter } from "./load-prompt-scorer.js";
import { parseCommandArgs, runRouterCommand, UsageError, type RouterCommandIo } from "./router-command-io.js";

const USAGE = "router:score -- --data FILE.csv [--router builtin|PATH]";

/** `router:score`: one `{"score": …}` line per CSV row, in order, from the prompt column alone. */
export function runRouterScore(argv: string[], io: RouterCommandIo): Promise<number> {
  return runRouterCommand(USAGE, io, () => {
    const args = parseCommandArgs(argv, { data: { type: "string" }, router: { type: "string", default: "builtin" } });
    if (args.data === undefined) throw new UsageError("--data is required");
    const { scorer } = loadRouter(args.router!);
    const dataset = readRoutingCsv(args.data, { requireOutcomes: false });
    const lines: string[] = [];
    for (const row of dataset.rows) lines.push(JSON.stringify({ score: scorer.score([{ role: "user", content: row.prompt }]) }));
    io.stdout(lines.length > 0 ? `${lines.join("\n")}\n` : "");
  });
}
