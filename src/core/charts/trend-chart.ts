/** One point of a trend: the bucket's first day, its value (null: no answers), an optional band and sample size. */
export interface TrendPoint {
  bucket: string;
  value: number | null;
  low?: number | null;
  high?: number | null;
  responses?: number;
  lowSample?: boolean;
}

export interface TrendChart {
  title: string;
  /** What the value is, for the axis and the text description: "NPS", "CSAT %", "CES mean". */
  unit: string;
  /** The scale's full range, so that charts of the same metric compare at a glance. */
  domain: readonly [number, number];
  points: readonly TrendPoint[];
  /** What `responses` counts, in the point descriptions and the summary (default: answers). */
  countLabel?: string;
  /** Accent colour of the line (#rrggbb). */
  color?: string;
  width?: number;
  height?: number;
}

const escapeXml = (text: string) => text.replace(/[<>&"']/g, (char) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[char]!);
const round = (value: number) => Math.round(value * 10) / 10;
const HEX = /^#[0-9a-f]{6}$/i;

/**
 * A trend as a self-contained SVG (no scripts, no external fonts or images), readable at mail
 * width (600 px by default): the line over the scale's full range, a shaded band where the points
 * carry one (NPS's 95% margin of error), hollow points for low samples, gaps where a bucket has no
 * answers, and a title and description for screen readers.
 */
export function renderTrendSvg(chart: TrendChart): string {
  const width = chart.width ?? 600;
  const height = chart.height ?? 300;
  const color = chart.color && HEX.test(chart.color) ? chart.color : '#1f5fbf';
  const countLabel = escapeXml(chart.countLabel ?? 'answers');
  const margin = { top: 60, right: 20, bottom: 44, left: 52 };
  const [min, max] = chart.domain;
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const count = chart.points.length;
  const x = (index: number) => margin.left + (count <= 1 ? plotWidth / 2 : (index / (count - 1)) * plotWidth);
  const y = (value: number) => margin.top + plotHeight - ((Math.min(max, Math.max(min, value)) - min) / (max - min)) * plotHeight;

  const parts: string[] = [];
  // Grid and value labels: five steps over the range.
  for (let step = 0; step <= 4; step += 1) {
    const value = min + ((max - min) * step) / 4;
    const at = round(y(value));
    parts.push(`<line x1="${margin.left}" y1="${at}" x2="${width - margin.right}" y2="${at}" stroke="#d9dde3" stroke-width="1"/>`);
    parts.push(`<text x="${margin.left - 8}" y="${at + 4}" text-anchor="end" font-size="12" fill="#4a5058">${round(value)}</text>`);
  }
  if (min < 0 && max > 0) parts.push(`<line x1="${margin.left}" y1="${round(y(0))}" x2="${width - margin.right}" y2="${round(y(0))}" stroke="#8a9099" stroke-width="1"/>`);
  // Bucket labels: at most eight, evenly spread, the last always shown.
  const every = Math.max(1, Math.ceil(count / 8));
  chart.points.forEach((point, index) => {
    if (index % every !== 0 && index !== count - 1) return;
    // The first and last labels align with the plot's edges so that they stay inside the picture.
    const anchor = count > 1 && index === 0 ? 'start' : count > 1 && index === count - 1 ? 'end' : 'middle';
    parts.push(`<text x="${round(x(index))}" y="${height - margin.bottom + 18}" text-anchor="${anchor}" font-size="11" fill="#4a5058">${escapeXml(point.bucket)}</text>`);
  });

  // Runs of consecutive points with a value: a gap where a bucket has none.
  const runs: number[][] = [];
  chart.points.forEach((point, index) => {
    if (point.value === null) return;
    const last = runs.at(-1);
    if (last && last.at(-1) === index - 1) last.push(index);
    else runs.push([index]);
  });
  for (const run of runs) {
    const banded = run.filter((index) => chart.points[index]!.low != null && chart.points[index]!.high != null);
    if (banded.length === run.length && run.length > 1) {
      const upper = run.map((index) => `${round(x(index))},${round(y(chart.points[index]!.high!))}`);
      const lower = [...run].reverse().map((index) => `${round(x(index))},${round(y(chart.points[index]!.low!))}`);
      parts.push(`<polygon points="${[...upper, ...lower].join(' ')}" fill="${color}" fill-opacity="0.15" stroke="none"/>`);
    }
    // A lone point with a band shows it as an error bar.
    if (run.length === 1 && banded.length === 1) {
      const point = chart.points[run[0]!]!;
      const at = round(x(run[0]!));
      parts.push(`<line x1="${at}" y1="${round(y(point.high!))}" x2="${at}" y2="${round(y(point.low!))}" stroke="${color}" stroke-opacity="0.4" stroke-width="6"/>`);
    }
    if (run.length > 1)
      parts.push(
        `<polyline points="${run.map((index) => `${round(x(index))},${round(y(chart.points[index]!.value!))}`).join(' ')}" fill="none" stroke="${color}" stroke-width="2.5" stroke-linejoin="round"/>`,
      );
    for (const index of run) {
      const point = chart.points[index]!;
      parts.push(
        `<circle cx="${round(x(index))}" cy="${round(y(point.value!))}" r="4" fill="${point.lowSample ? '#ffffff' : color}" stroke="${color}" stroke-width="2"><title>${escapeXml(point.bucket)}: ${round(point.value!)}${point.responses === undefined ? '' : ` (${point.responses} ${countLabel})`}</title></circle>`,
      );
    }
  }
  if (runs.length === 0) parts.push(`<text x="${width / 2}" y="${margin.top + plotHeight / 4}" text-anchor="middle" font-size="14" fill="#4a5058">No answers in this period</text>`);

  const valued = chart.points.filter((point) => point.value !== null);
  const latest = valued.at(-1);
  const total = chart.points.reduce((sum, point) => sum + (point.responses ?? 0), 0);
  const description = latest
    ? `${chart.unit} from ${chart.points[0]!.bucket} to ${chart.points.at(-1)!.bucket}: latest ${round(latest.value!)} (${latest.bucket}), ${valued.length} of ${count} periods with answers, ${total} ${countLabel} in all.`
    : `${chart.unit}: no answers in this period.`;
  const low = chart.points.some((point) => point.lowSample && point.value !== null);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="t d" font-family="Helvetica, Arial, sans-serif">`,
    `<title id="t">${escapeXml(chart.title)}</title>`,
    `<desc id="d">${escapeXml(description)}</desc>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${margin.left}" y="22" font-size="15" font-weight="bold" fill="#1b1f24">${escapeXml(chart.title)}</text>`,
    `<text x="${margin.left}" y="42" font-size="12" fill="#4a5058">${escapeXml(chart.unit)}</text>`,
    ...parts,
    low ? `<text x="${margin.left}" y="${height - 8}" font-size="11" fill="#4a5058">Hollow points: fewer answers than a reliable figure needs.</text>` : '',
    `</svg>`,
  ]
    .filter(Boolean)
    .join('\n');
}
