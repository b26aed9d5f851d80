import { readFile, writeFile } from 'node:fs/promises';

const FILE = new URL('./RESULTS.md', import.meta.url);
const HEADER = '# Benchmark results\n\nRun with `npm run bench` (customer list) and `npm run bench:surveys` (surveys). Figures are ratios against a baseline measured in the same run.\n';

/** Replaces one benchmark's section of bench/RESULTS.md (between its markers), keeping the others. */
export async function writeSection(name: string, markdown: string): Promise<void> {
  const current = await readFile(FILE, 'utf8').catch(() => HEADER);
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const block = `${start}\n${markdown.trim()}\n${end}`;
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  const next = from >= 0 && to > from ? current.slice(0, from) + block + current.slice(to + end.length) : `${current.trimEnd()}\n\n${block}\n`;
  await writeFile(FILE, next.startsWith('# Benchmark results') ? next : HEADER + next);
}
