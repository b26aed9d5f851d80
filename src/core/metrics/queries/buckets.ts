import type { TimeBucket } from './metrics-filter.js';

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;

/** Start of the bucket holding a calendar day (weeks start on Monday, as date_trunc does). */
export function bucketStart(dayIso: string, bucket: TimeBucket): string {
  const d = new Date(`${dayIso}T00:00:00Z`);
  switch (bucket) {
    case 'DAY':
      return dayIso;
    case 'WEEK':
      d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
      return iso(d);
    case 'MONTH':
      return `${dayIso.slice(0, 7)}-01`;
    case 'QUARTER':
      return `${dayIso.slice(0, 4)}-${pad(Math.floor(d.getUTCMonth() / 3) * 3 + 1)}-01`;
    case 'YEAR':
      return `${dayIso.slice(0, 4)}-01-01`;
  }
}

/** Every bucket start touching [from, to), so a trend has no gaps. */
export function bucketStarts(from: string, to: string, bucket: TimeBucket): string[] {
  const starts: string[] = [];
  let cursor = bucketStart(from, bucket);
  while (cursor < to) {
    starts.push(cursor);
    const d = new Date(`${cursor}T00:00:00Z`);
    if (bucket === 'DAY') d.setUTCDate(d.getUTCDate() + 1);
    else if (bucket === 'WEEK') d.setUTCDate(d.getUTCDate() + 7);
    else if (bucket === 'MONTH') d.setUTCMonth(d.getUTCMonth() + 1);
    else if (bucket === 'QUARTER') d.setUTCMonth(d.getUTCMonth() + 3);
    else d.setUTCFullYear(d.getUTCFullYear() + 1);
    cursor = iso(d);
  }
  return starts;
}

export const isMonthStart = (dayIso: string) => dayIso.endsWith('-01');
