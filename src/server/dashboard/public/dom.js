// DOM helpers: every value from the gateway goes in as text or an attribute, never as markup.
const SVG_NS = "http://www.w3.org/2000/svg";

function build(node, attrs, children) {
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value !== undefined && value !== null) node.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(typeof child === "string" || typeof child === "number" ? String(child) : child);
  }
  return node;
}

export function el(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

export function svg(tag, attrs, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

export function formatUsd(value) {
  if (value === 0) return "$0";
  const sign = value < 0 ? "-" : "";
  const magnitude = Math.abs(value);
  return sign + "$" + (magnitude >= 1 ? magnitude.toFixed(2) : magnitude.toPrecision(3));
}

export function formatMs(value) {
  return value === null || value === undefined ? "–" : Math.round(value).toString();
}

export function formatRate(value) {
  return value === null || value === undefined ? "–" : (value * 100).toFixed(1) + "%";
}

export function formatTime(date, withDay) {
  return withDay
    ? date.toLocaleString([], { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" })
    : date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}
