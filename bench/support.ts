import { readFile } from 'node:fs/promises';
import pg from 'pg';

// GraphQL answers are read loosely in the benchmarks: they check only what they measure.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose = any;

export const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** A fresh PostgreSQL database for one benchmark run; `drop` removes it whatever happened. */
export async function createScratchDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  const name = `${prefix}_${Date.now()}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** POSTs one GraphQL request with an API key; throws on errors. */
export async function graphql(baseUrl: string, key: string, query: string, variables?: Record<string, unknown>): Promise<Loose> {
  const res = await fetch(`${baseUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { data?: Loose; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/** The customer list every API benchmark measures: business unit and each customer's last 3 orders. */
export const CUSTOMER_LIST_QUERY = `query($n: Int!) { customers(first: $n) { edges { node { id fullName email businessUnit { id name } orders(first: 3) { edges { node { id amount currency orderedAt } } } } } } }`;

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
export const p99 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * 0.99))]!;

/** `count` sequential customer-list requests of `n` customers with a key or a token; their durations in ms. */
export async function timeCustomerList(url: string, credential: string, n: number, count: number): Promise<number[]> {
  const body = JSON.stringify({ query: CUSTOMER_LIST_QUERY, variables: { n } });
  const times: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const start = performance.now();
    const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}` }, body });
    const text = await res.text();
    if (!res.ok || text.includes('"errors"')) throw new Error(text.slice(0, 300));
    times.push(performance.now() - start);
  }
  return times;
}

/**
 * Two variants measured in alternating rounds (which goes first alternates), so drift in machine
 * load falls on both: `rounds` rounds, each running both.
 */
export async function alternatingRounds(rounds: number, runA: () => Promise<number[]>, runB: () => Promise<number[]>): Promise<{ a: number[]; b: number[] }> {
  const a: number[] = [];
  const b: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    if (round % 2 === 0) {
      a.push(...(await runA()));
      b.push(...(await runB()));
    } else {
      b.push(...(await runB()));
      a.push(...(await runA()));
    }
  }
  return { a, b };
}

/** The two table rows (median and p99) comparing variant a with baseline b. */
export function comparisonRows(label: string, a: number[], b: number[]): string[] {
  const ratio = median(a) / median(b);
  return [
    `| ${label}, median ms | ${median(a).toFixed(2)} | ${median(b).toFixed(2)} | ${ratio.toFixed(3)}x (${((ratio - 1) * 100).toFixed(1)}%) |`,
    `| ${label}, p99 ms | ${p99(a).toFixed(2)} | ${p99(b).toFixed(2)} | ${(p99(a) / p99(b)).toFixed(3)}x |`,
  ];
}

/** Resident memory (KiB) of a process and all its descendants, from /proc (Linux). */
export async function treeRssKiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const children = (await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '')).trim().split(/\s+/).filter(Boolean).map(Number);
  let total = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  for (const child of children) total += await treeRssKiB(child);
  return total;
}
