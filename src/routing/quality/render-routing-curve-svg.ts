import type { CurvePoint } from "./compute-routing-curve.js";

export interface CurveSeries {
  label: string;
  color: string;
  points: readonly Pick<CurvePoint, "strongShare" | "pgr">[];
  dashed?: boolean;
}

const W = 480;
const H = 360;
const M = { left: 56, right: 16, top: 32, bottom: 48 };

const escapeXml = (text: string): string => text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

/** The cost–quality curve as a small standalone SVG: PGR (y) against the share of strong calls (x). */
export function renderRoutingCurveSvg(title: string, series: readonly CurveSeries[]): string {
  const maxPgr = Math.max(1, ...series.flatMap((s) => s.points.map((p) => p.pgr)));
  const minPgr = Math.min(0, ...series.flatMap((s) => s.points.map((p) => p.pgr)));
  const x = (share: number): number => M.left + share * (W - M.left - M.right);
  const y = (pgr: number): number => H - M.bottom - ((pgr - minPgr) / (maxPgr - minPgr)) * (H - M.top - M.bottom);
  const f = (n: number): string => n.toFixed(1);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="18" text-anchor="middle" font-size="13">${escapeXml(title)}</text>`,
    `<line x1="${M.left}" y1="${f(y(minPgr))}" x2="${W - M.right}" y2="${f(y(minPgr))}" stroke="black"/>`,
    `<line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${H - M.bottom}" stroke="black"/>`,
  ];
  for (let t = 0; t <= 10; t += 2) {
    const share = t / 10;
    out.push(`<line x1="${f(x(share))}" y1="${f(y(minPgr))}" x2="${f(x(share))}" y2="${f(y(minPgr) + 4)}" stroke="black"/>`);
    out.push(`<text x="${f(x(share))}" y="${f(y(minPgr) + 16)}" text-anchor="middle">${t * 10}%</text>`);
  }
  for (let t = Math.ceil(minPgr * 5); t <= Math.floor(maxPgr * 5); t++) {
    const pgr = t / 5;
    out.push(`<line x1="${M.left - 4}" y1="${f(y(pgr))}" x2="${W - M.right}" y2="${f(y(pgr))}" stroke="#ddd"/>`);
    out.push(`<text x="${M.left - 6}" y="${f(y(pgr) + 4)}" text-anchor="end">${pgr.toFixed(1)}</text>`);
  }
  out.push(`<text x="${W / 2}" y="${H - 10}" text-anchor="middle">share of calls sent to the strong model</text>`);
  out.push(`<text x="14" y="${H / 2}" text-anchor="middle" transform="rotate(-90 14 ${H / 2})">performance gap recovered</text>`);
  series.forEach((s, i) => {
    const d = s.points.map((p, k) => `${k === 0 ? "M" : "L"}${f(x(p.strongShare))},${f(y(p.pgr))}`).join(" ");
    out.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.5"${s.dashed ? ' stroke-dasharray="4 3"' : ""}/>`);
    const ly = M.top + 8 + i * 14;
    out.push(`<line x1="${W - 150}" y1="${ly}" x2="${W - 130}" y2="${ly}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="4 3"' : ""}/>`);
    out.push(`<text x="${W - 125}" y="${ly + 4}">${escapeXml(s.label)}</text>`);
  });
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}

/** At most `max` points of a long curve (every prompt cut of 10,000 prompts is more than a picture needs). */
export function thinCurve<T extends { strongShare: number }>(points: readonly T[], max = 400): T[] {
  if (points.length <= max) return [...points];
  const step = (points.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => points[Math.round(i * step)]!);
}
