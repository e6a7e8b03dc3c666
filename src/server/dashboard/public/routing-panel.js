// Quality routing on the dashboard: each tiered group's routingSavings over the window — a table of
// totals and two charts (saved USD and strong share per bucket). Hidden when no group routes over tiers.
import { lineChart } from "./charts.js";
import { el, formatRate, formatUsd } from "./dom.js";
import { query } from "./gateway-client.js";

const GROUPS_QUERY = `query DashboardTieredGroups { models { name routingPolicy } }`;
const SAVINGS_QUERY = `query DashboardRoutingSavings($filter: RoutingSavingsFilter!, $bucket: TimeBucket) {
  routingSavings(filter: $filter, bucket: $bucket) {
    model policy tiers
    rows { bucketStart requests strongShare savedUsd }
    totals { requests strongRequests strongShare escalations costUsd topTierCostUsd savedUsd }
  }
}`;

/** Every tiered group's savings over [from, now), bucketed like the cost chart; [] when there is none. */
export async function loadRoutingSavings({ from, bucket }) {
  const { models } = await query(GROUPS_QUERY, {});
  const tiered = models.filter((group) => group.routingPolicy);
  return Promise.all(
    tiered.map(async (group) => (await query(SAVINGS_QUERY, { filter: { model: group.name, from: from.toISOString() }, bucket })).routingSavings),
  );
}

export function renderRoutingSavings(reports, { from, to, withDay }) {
  const $ = (id) => document.getElementById(id);
  $("routing").hidden = reports.length === 0;
  $("routing-table").tBodies[0].replaceChildren(
    ...reports.map((report) => {
      const t = report.totals;
      return el(
        "tr",
        { "data-model": report.model, "data-requests": t.requests, "data-strong-share": t.strongShare ?? "", "data-saved": t.savedUsd },
        el("td", {}, report.model),
        el("td", {}, report.policy.toLowerCase()),
        el("td", {}, report.tiers.join(" → ")),
        el("td", { class: "requests" }, t.requests),
        el("td", { class: "strong-share" }, t.strongShare === null ? "–" : `${formatRate(t.strongShare)} (${t.strongRequests})`),
        el("td", { class: "escalations" }, t.escalations),
        el("td", {}, formatUsd(t.costUsd)),
        el("td", {}, formatUsd(t.topTierCostUsd)),
        el("td", { class: "saved" }, formatUsd(t.savedUsd)),
      );
    }),
  );
  // Only groups with calls in the window get a line; the colours follow that order in both charts.
  const active = reports.filter((report) => report.rows.length > 0).sort((a, b) => a.model.localeCompare(b.model));
  const seriesOf = (pick) => active.map((report) => ({ name: report.model, points: report.rows.map((row) => ({ t: new Date(row.bucketStart), value: pick(row) })) }));
  const empty = "No routed calls in this window.";
  lineChart($("savings-chart"), { series: seriesOf((row) => row.savedUsd), from, to, withDay, formatValue: formatUsd, yTitle: "USD saved", empty });
  // A bucket whose calls were all superseded has no share: drawn at 0 would be a claim, so it is left out.
  lineChart($("share-chart"), {
    series: seriesOf((row) => row.strongShare).map((s) => ({ ...s, points: s.points.filter((p) => p.value !== null) })),
    from,
    to,
    withDay,
    formatValue: formatRate,
    max: 1,
    yTitle: "top-tier answers ÷ requests",
    empty,
  });
}
