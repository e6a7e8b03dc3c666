// The dashboard: GraphQL queries drawn with Chart.js (usage, spend, health, routing savings), plus the deploymentHealthChanged subscription.
import { barChart, lineChart } from "./charts.js";
import { el, formatMs, formatRate, formatTime, formatUsd } from "./dom.js";
import { GatewayError, connectLive, query, readKey, storeKey } from "./gateway-client.js";
import { loadRoutingSavings, renderRoutingSavings } from "./routing-panel.js";

const HEALTH_FIELDS = "deployment model provider status errorRate latencyP50Ms inFlight lastError cooldownUntil";
const COST_QUERY = `query DashboardCost($filter: UsageFilter, $bucket: TimeBucket) {
  usage(filter: $filter, groupBy: [MODEL], bucket: $bucket) { totals { requests errors costUsd } rows { key bucketStart costUsd requests } }
}`;
const DEPLOYMENT_QUERY = `query DashboardDeployments($filter: UsageFilter) {
  usage(filter: $filter, groupBy: [DEPLOYMENT]) { rows { key requests errors latencyP50Ms latencyP95Ms } }
}`;
const SPEND_QUERY = `query DashboardSpend($filter: UsageFilter) {
  byKey: usage(filter: $filter, groupBy: [KEY]) { rows { key costUsd requests } }
  byTeam: usage(filter: $filter, groupBy: [TEAM]) { rows { key costUsd requests } }
  virtualKeys { id name keyPrefix team { id name } }
}`;
const HEALTH_QUERY = `query DashboardHealth { modelHealth { ${HEALTH_FIELDS} recent { succeeded failed errorRate } } }`;
const HEALTH_SUBSCRIPTION = `subscription DashboardHealthChanged { deploymentHealthChanged { ${HEALTH_FIELDS} } }`;
const REFRESH_MS = 30_000;
const MAX_TRANSITIONS = 50;
const MAX_SPEND_BARS = 15;

const $ = (id) => document.getElementById(id);
const health = new Map(); // deployment → latest DeploymentHealth (query, then pushes)
let deploymentUsage = [];
let live;
let loading = 0;

function setStatus(state, text) {
  $("status").dataset.state = state;
  $("status").textContent = text;
}

function setLive(state) {
  $("live").dataset.state = state;
  $("live").textContent = "live: " + (state === "refused" ? "refused (key?)" : state);
}

function windowChoice() {
  const minutes = Number($("window").value);
  const to = new Date();
  return { from: new Date(to.getTime() - minutes * 60_000), to, bucket: minutes <= 60 ? "MINUTE" : "HOUR", withDay: minutes > 1440 };
}

async function load() {
  const run = ++loading;
  const { from, to, bucket, withDay } = windowChoice();
  const filter = { from: from.toISOString() };
  setStatus("loading", "Loading…");
  try {
    const [cost, deployments, spend, current, savings] = await Promise.all([
      query(COST_QUERY, { filter, bucket }),
      query(DEPLOYMENT_QUERY, { filter }),
      query(SPEND_QUERY, { filter }),
      query(HEALTH_QUERY, {}),
      loadRoutingSavings({ from, bucket }),
    ]);
    if (run !== loading) return; // a newer load superseded this one
    renderCost(cost.usage.rows, from, to, withDay);
    renderSpend(spend);
    renderRoutingSavings(savings, { from, to, withDay });
    deploymentUsage = deployments.usage.rows;
    health.clear();
    for (const h of current.modelHealth) health.set(h.deployment, h);
    renderDeployments();
    const totals = cost.usage.totals;
    setStatus("ready", `Updated ${formatTime(new Date(), false)} · ${totals.requests} calls · ${totals.errors} errors · ${formatUsd(totals.costUsd)}`);
  } catch (error) {
    if (run !== loading) return;
    const code = error instanceof GatewayError ? error.code : "NETWORK";
    const needsKey = code === "UNAUTHENTICATED" || code === "FORBIDDEN";
    setStatus("error", needsKey ? `${error.message} — enter the master key or a virtual key above.` : `Could not load: ${error.message}`);
    if (needsKey) $("key-input").focus();
  }
}

function renderCost(rows, from, to, withDay) {
  const byModel = new Map();
  for (const row of rows) {
    const name = row.key[0] ?? "(none)";
    if (!byModel.has(name)) byModel.set(name, []);
    byModel.get(name).push({ t: new Date(row.bucketStart), value: row.costUsd });
  }
  const series = [...byModel].sort(([a], [b]) => a.localeCompare(b)).map(([name, points]) => ({ name, points }));
  lineChart($("cost-chart"), {
    series,
    from,
    to,
    withDay,
    formatValue: formatUsd,
    yTitle: `USD per ${windowChoice().bucket === "MINUTE" ? "minute" : "hour"}`,
    empty: "No calls in this window.",
  });
}

/** Spend per virtual key and per team over the window, dearest first, named from virtualKeys. */
function renderSpend({ byKey, byTeam, virtualKeys }) {
  const keys = new Map(virtualKeys.map((k) => [k.id, k]));
  const teams = new Map(virtualKeys.filter((k) => k.team).map((k) => [k.team.id, k.team.name]));
  const keyLabel = (id) => {
    if (!id) return "(no key: master key or open mode)";
    const key = keys.get(id);
    return key ? `${key.name ?? "unnamed"} (${key.keyPrefix}…)` : id;
  };
  const teamLabel = (id) => (id ? (teams.get(id) ?? id) : "(no team)");
  const bars = (rows, label) =>
    rows
      .filter((row) => row.requests > 0)
      .sort((a, b) => b.costUsd - a.costUsd)
      .slice(0, MAX_SPEND_BARS)
      .map((row) => ({ id: row.key[0] ?? "", label: label(row.key[0]), value: row.costUsd, text: `${formatUsd(row.costUsd)} · ${row.requests} calls` }));
  barChart($("key-spend-chart"), { items: bars(byKey.rows, keyLabel), formatValue: formatUsd, xTitle: "USD in the window", empty: "No calls in this window." });
  barChart($("team-spend-chart"), { items: bars(byTeam.rows, teamLabel), formatValue: formatUsd, xTitle: "USD in the window", empty: "No calls in this window." });
}

function renderDeployments() {
  const labelOf = (row) => row.key[0] || "(none)";
  barChart($("error-chart"), {
    items: deploymentUsage.map((row) => {
      const rate = row.requests > 0 ? row.errors / row.requests : 0;
      return { label: labelOf(row), value: rate, text: `${formatRate(rate)}: ${row.errors} of ${row.requests} calls failed` };
    }),
    max: 1,
    formatValue: formatRate,
    xTitle: "failed calls ÷ calls",
    empty: "No calls in this window.",
  });
  barChart($("latency-chart"), {
    items: deploymentUsage.filter((row) => row.latencyP95Ms !== null).map((row) => ({ label: labelOf(row), value: row.latencyP95Ms, text: `p95 ${formatMs(row.latencyP95Ms)} ms` })),
    formatValue: formatMs,
    xTitle: "ms (p95)",
    empty: "No calls in this window.",
  });
  const usageOf = new Map(deploymentUsage.map((row) => [labelOf(row), row]));
  const names = [...health.keys(), ...[...usageOf.keys()].filter((name) => !health.has(name))];
  if (names.length === 0) {
    const cell = el("td", { class: "empty", colspan: 13 }, "No deployments to show: the gateway reported none, or this key may see none.");
    $("deployments").tBodies[0].replaceChildren(el("tr", { class: "placeholder" }, cell));
    return;
  }
  $("deployments").tBodies[0].replaceChildren(
    ...names.map((name) => {
      const h = health.get(name);
      const u = usageOf.get(name);
      const status = h?.status ?? "UNKNOWN";
      return el(
        "tr",
        { "data-deployment": name },
        el("td", {}, name),
        el("td", {}, h?.model ?? "–"),
        el("td", {}, h?.provider ?? "–"),
        el("td", { class: "status" }, el("span", { class: "badge", "data-status": status }, status)),
        el("td", { class: "live-rate" }, h ? formatRate(h.errorRate) : "–"),
        recentCell(h?.recent),
        el("td", { class: "requests" }, u ? u.requests : 0),
        el("td", { class: "errors" }, u ? u.errors : 0),
        el("td", { class: "call-rate" }, u && u.requests > 0 ? formatRate(u.errors / u.requests) : "–"),
        el("td", {}, formatMs(u?.latencyP50Ms)),
        el("td", {}, formatMs(u?.latencyP95Ms)),
        el("td", {}, h ? h.inFlight : "–"),
        el("td", { class: "last-error" }, h?.lastError ?? ""),
      );
    }),
  );
}

/** Attempts every instance stored over the last five minutes (pushed changes keep the last query's). */
function recentCell(recent) {
  if (!recent) return el("td", { class: "recent" }, "–");
  const judged = recent.succeeded + recent.failed;
  return el(
    "td",
    { class: "recent", "data-failed": recent.failed, "data-judged": judged },
    judged > 0 ? `${formatRate(recent.errorRate)} of ${judged}` : "–",
  );
}

function onHealthChange(change) {
  health.set(change.deployment, { ...health.get(change.deployment), ...change });
  renderDeployments();
  const item = el(
    "li",
    { "data-deployment": change.deployment, "data-status": change.status },
    `${formatTime(new Date(), false)} ${change.deployment} (${change.model}) → `,
    el("span", { class: "badge", "data-status": change.status }, change.status),
    change.lastError ? ` ${change.lastError}` : "",
  );
  const list = $("transitions");
  list.prepend(item);
  $("transitions-empty").hidden = true;
  while (list.children.length > MAX_TRANSITIONS) list.lastElementChild.remove();
}

function startLive() {
  live?.dispose();
  setLive("connecting");
  live = connectLive(setLive);
  live.subscribe(
    { query: HEALTH_SUBSCRIPTION },
    {
      next: (result) => {
        if (result.data) onHealthChange(result.data.deploymentHealthChanged);
      },
      error: () => {
        if ($("live").dataset.state !== "refused") setLive("error");
      },
      complete: () => {},
    },
  );
}

$("key-input").value = readKey();
$("key-form").addEventListener("submit", (event) => {
  event.preventDefault();
  storeKey($("key-input").value.trim());
  startLive();
  void load();
});
$("key-forget").addEventListener("click", () => {
  storeKey("");
  $("key-input").value = "";
  startLive();
  void load();
});
$("refresh").addEventListener("click", () => void load());
$("window").addEventListener("change", () => void load());
setInterval(() => {
  if (document.visibilityState === "visible") void load();
}, REFRESH_MS);
startLive();
void load();
