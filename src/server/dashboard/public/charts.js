// Inline SVG charts drawn from query rows; data-* attributes carry the plotted values.
import { formatTime, svg } from "./dom.js";

const PALETTE = ["#2e90fa", "#f79009", "#12b76a", "#ee46bc", "#7a5af8", "#f04438", "#0ba5ec", "#66c61c"];

export function colorFor(index) {
  return PALETTE[index % PALETTE.length];
}

/**
 * A line chart with one series per name. `series` is [{ name, points: [{ t: Date, value }] }],
 * drawn over [from, to]; one circle per point, so the page shows exactly the buckets returned.
 * `max` fixes the top of the scale (1 for a share); without it the scale fits the data.
 */
export function lineChart({ series, from, to, formatValue, withDay, max: fixedMax }) {
  const width = 720, height = 240, left = 64, right = 12, top = 12, bottom = 28;
  const values = series.flatMap((s) => s.points.map((p) => p.value));
  const max = fixedMax ?? Math.max(0, ...values);
  const yMax = fixedMax ?? (max > 0 ? max * 1.1 : 1);
  // Negative values (routing that cost more than the top tier would have) get room below zero.
  const min = Math.min(0, ...values);
  const yMin = min < 0 ? min * 1.1 : 0;
  const span = Math.max(1, to.getTime() - from.getTime());
  const x = (t) => left + ((t.getTime() - from.getTime()) / span) * (width - left - right);
  const y = (v) => top + (1 - (v - yMin) / (yMax - yMin)) * (height - top - bottom);
  const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "data-series": series.length });
  root.append(
    svg("line", { class: "axis", x1: left, y1: top, x2: left, y2: height - bottom }),
    svg("line", { class: "axis", x1: left, y1: height - bottom, x2: width - right, y2: height - bottom }),
  );
  // Labels closer than a line of text to one already drawn are left out (a small negative beside zero).
  const drawnAt = [];
  for (const tick of yMin < 0 ? [0, yMax, yMin] : [0, yMax / 2, yMax]) {
    if (drawnAt.some((at) => Math.abs(at - y(tick)) < 12)) continue;
    drawnAt.push(y(tick));
    root.append(svg("text", { x: left - 6, y: y(tick) + 4, "text-anchor": "end" }, formatValue(tick)));
  }
  root.append(
    svg("text", { x: left, y: height - 8 }, formatTime(from, withDay)),
    svg("text", { x: width - right, y: height - 8, "text-anchor": "end" }, formatTime(to, withDay)),
  );
  if (series.length === 0) {
    root.append(svg("text", { class: "empty", x: width / 2, y: height / 2, "text-anchor": "middle" }, "No calls in this window"));
  }
  series.forEach((s, index) => {
    const points = [...s.points].sort((a, b) => a.t - b.t);
    const color = colorFor(index);
    const group = svg("g", { class: "series", "data-model": s.name, "data-points": points.length });
    const d = points.map((p, i) => `${i === 0 ? "M" : "L"}${x(p.t).toFixed(1)},${y(p.value).toFixed(1)}`).join(" ");
    group.append(svg("path", { d, fill: "none", stroke: color, "stroke-width": 2 }));
    for (const p of points) {
      group.append(
        svg(
          "circle",
          { class: "point", cx: x(p.t).toFixed(1), cy: y(p.value).toFixed(1), r: 3.5, fill: color, "data-t": p.t.toISOString(), "data-value": p.value },
          svg("title", {}, `${s.name} ${formatTime(p.t, withDay)}: ${formatValue(p.value)}`),
        ),
      );
    }
    root.append(group);
  });
  return root;
}

/** Horizontal bars, one per item ({ label, value, text }); `max` is the full-width value. */
export function barChart({ items, max }) {
  const width = 360, rowHeight = 22, left = 120, right = 64;
  const height = Math.max(1, items.length) * rowHeight + 8;
  const scale = max > 0 ? max : 1;
  const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "data-bars": items.length });
  if (items.length === 0) {
    root.append(svg("text", { class: "empty", x: width / 2, y: 18, "text-anchor": "middle" }, "No calls in this window"));
  }
  items.forEach((item, index) => {
    const yTop = 4 + index * rowHeight;
    const barWidth = item.value === null ? 0 : (Math.min(item.value, scale) / scale) * (width - left - right);
    root.append(
      svg(
        "g",
        { class: "bar", "data-label": item.label, "data-value": item.value ?? "" },
        svg("text", { x: left - 6, y: yTop + 14, "text-anchor": "end" }, item.label),
        svg("rect", { x: left, y: yTop + 3, width: barWidth.toFixed(1), height: rowHeight - 8, fill: colorFor(index), rx: 2 }),
        svg("text", { x: left + barWidth + 4, y: yTop + 14 }, item.text),
      ),
    );
  });
  return root;
}
