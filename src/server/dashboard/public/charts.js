// Charts drawn with Chart.js (served from node_modules as /dashboard/chart.umd.js, the global `Chart`).
// Each chart container keeps its Chart instance as `container.chart`, so a redraw replaces it and a
// test can read exactly what was drawn. An empty chart is never drawn: the container gets a sentence.
import { el, formatTime } from "./dom.js";

const PALETTE = ["#2e90fa", "#f79009", "#12b76a", "#ee46bc", "#7a5af8", "#f04438", "#0ba5ec", "#66c61c"];

export function colorFor(index) {
  return PALETTE[index % PALETTE.length];
}

// Chart text at the page's own size and typeface (canvas text is drawn in CSS pixels, never scaled).
const page = getComputedStyle(document.body);
Chart.defaults.font.family = page.fontFamily;
Chart.defaults.font.size = Math.round(parseFloat(page.fontSize) * 0.9);
Chart.defaults.color = "#475467";
Chart.defaults.animation = false;
Chart.defaults.maintainAspectRatio = false;

/** Removes the container's chart, if any, and shows `text` in its place. */
export function showEmpty(container, text) {
  container.chart?.destroy();
  container.chart = undefined;
  container.dataset.empty = "true";
  container.replaceChildren(el("p", { class: "empty" }, text));
}

function freshCanvas(container, height) {
  container.chart?.destroy();
  container.dataset.empty = "false";
  const canvas = el("canvas", {});
  const box = el("div", { class: "canvas-box", style: `height:${height}px` }, canvas);
  container.replaceChildren(box);
  return canvas;
}

/**
 * A line chart over time, one series per name: `series` is [{ name, points: [{ t: Date, value }] }],
 * drawn over [from, to] with one point per returned bucket. `max` fixes the top of the scale (1 for a
 * share); otherwise it fits the data, negative values included.
 */
export function lineChart(container, { series, from, to, formatValue, withDay, max, yTitle, empty }) {
  if (series.length === 0) return showEmpty(container, empty);
  const canvas = freshCanvas(container, 260);
  container.chart = new Chart(canvas, {
    type: "line",
    data: {
      datasets: series.map((s, i) => ({
        label: s.name,
        data: [...s.points].sort((a, b) => a.t - b.t).map((p) => ({ x: p.t.getTime(), y: p.value })),
        borderColor: colorFor(i),
        backgroundColor: colorFor(i),
        pointRadius: 3,
        borderWidth: 2,
      })),
    },
    options: {
      interaction: { mode: "nearest", intersect: false },
      scales: {
        x: { type: "linear", min: from.getTime(), max: to.getTime(), ticks: { maxTicksLimit: 8, callback: (value) => formatTime(new Date(value), withDay) } },
        y: {
          ...(max !== undefined ? { max } : {}),
          beginAtZero: true,
          title: { display: Boolean(yTitle), text: yTitle },
          ticks: { callback: (value) => formatValue(value) },
        },
      },
      plugins: {
        legend: { position: "bottom" },
        tooltip: { callbacks: { title: (items) => formatTime(new Date(items[0].parsed.x), withDay), label: (item) => `${item.dataset.label}: ${formatValue(item.parsed.y)}` } },
      },
    },
  });
}

/**
 * Horizontal bars, one per item ({ label, value }), largest first as given; `max` fixes the end of
 * the scale (1 for a rate). Every bar chart on the page is drawn the same way.
 */
export function barChart(container, { items, max, formatValue, xTitle, empty }) {
  if (items.length === 0) return showEmpty(container, empty);
  const canvas = freshCanvas(container, 56 + items.length * 28);
  container.chart = new Chart(canvas, {
    type: "bar",
    data: {
      labels: items.map((item) => item.label),
      datasets: [{ label: xTitle, data: items.map((item) => item.value), backgroundColor: items.map((_, i) => colorFor(i)), maxBarThickness: 18 }],
    },
    options: {
      indexAxis: "y",
      scales: {
        x: { beginAtZero: true, ...(max !== undefined ? { max } : {}), title: { display: Boolean(xTitle), text: xTitle }, ticks: { maxTicksLimit: 6, maxRotation: 0, callback: (value) => formatValue(value) } },
      },
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: (item) => (items[item.dataIndex].text ?? formatValue(item.parsed.x)) } },
      },
    },
  });
}
