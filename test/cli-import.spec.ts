import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSocketPath } from '../src/cli/admin-socket.js';

const root = join(__dirname, '..');

/**
 * The CLI as an operator runs it on the embedded database (bin/cx-graph.js, the built JavaScript):
 * imports beyond the API's 10,000-record batches, streamed with progress and a summary that counts
 * only real changes; and every command working while the server runs, through the server.
 */
describe('cx-graph import and the CLI beside a running server (embedded database)', () => {
  let dir: string;
  let server: ChildProcess | null = null;
  let serverLog = '';
  const env = () => ({ PATH: process.env.PATH, HOME: process.env.HOME, CX_DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'warn' });
  const cli = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [join(root, 'bin/cx-graph.js'), ...args], { cwd: dir, env: env(), timeout: 300_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  const customersCsv = (count: number, change?: (i: number) => string | null) =>
    `externalId,firstName,lastName,email,consentEmail\n${Array.from({ length: count }, (_, i) => change?.(i) ?? `c${i},Anna${i},Jansen,c${i}@example.nl,yes`).join('\n')}\n`;
  let workspaceId = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cx-cli-import-'));
    const created = await cli('workspace', 'create', 'Import BV');
    expect(created.code, created.stderr).toBe(0);
    workspaceId = /workspace ([0-9a-f-]{36})/.exec(created.stdout)![1]!;
  }, 120_000);
  afterAll(async () => {
    if (server && server.exitCode === null) server.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('imports 12,000 customers and 2,000 orders in batches, with progress and a summary', async () => {
    await writeFile(join(dir, 'customers.csv'), customersCsv(12_000));
    await writeFile(
      join(dir, 'orders.csv'),
      `externalId,customerExternalId,amount,currency,orderedAt\n${Array.from({ length: 2_000 }, (_, i) => `o${i},c${i * 6},${10 + (i % 50)}.95,EUR,2026-03-01T10:00:00Z`).join('\n')}\n`,
    );
    // Relative paths are read from the caller's directory.
    const first = await cli('import', '--workspace', workspaceId, '--customers', 'customers.csv', '--orders', 'orders.csv', '--batch-size', '2500');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.trim().split('\n')).toEqual(['customers: 12000 created, 0 updated, 0 unchanged', 'orders: 2000 created, 0 updated, 0 unchanged']);
    expect(first.stderr).toContain('validated 12000 customers, 2000 orders; writing');
    expect(first.stderr).toMatch(/customers +\[[^\]]+\] 100% 12000\/12000 .* 12000 created, 0 updated, 0 unchanged/);

    const again = await cli('import', '--workspace', workspaceId, '--customers', 'customers.csv', '--orders', 'orders.csv');
    expect(again.stdout.trim().split('\n')).toEqual(['customers: 0 created, 0 updated, 12000 unchanged', 'orders: 0 created, 0 updated, 2000 unchanged']);

    await writeFile(
      join(dir, 'changed.csv'),
      customersCsv(12_000, (i) => (i === 7 ? 'c7,Anna7,De Vries,c7@example.nl,yes' : null)),
    );
    const changed = await cli('import', '--workspace', workspaceId, '--customers', 'changed.csv');
    expect(changed.stdout.trim()).toBe('customers: 0 created, 1 updated, 11999 unchanged');
  }, 300_000);

  it('refuses a file with bad records, naming each line, and writes nothing', async () => {
    await writeFile(
      join(dir, 'bad.csv'),
      customersCsv(5, (i) =>
        i === 2 ? 'new-2,Bo,Berg,not-an-address,yes' : i === 3 ? 'new-3,Bo,Berg,bo3@example.nl,maybe' : i === 4 ? 'new-1,Bo,Berg,bo@example.nl,yes' : `new-${i},Bo,Berg,bo${i}@example.nl,yes`,
      ),
    );
    const refused = await cli('import', '--workspace', workspaceId, '--customers', 'bad.csv');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('customers line 4 (record 2): email:');
    expect(refused.stderr).toContain('customers line 5 (record 3): consentEmail:');
    expect(refused.stderr).toContain('customers line 6 (record 4): externalId: duplicates record 1 of this import');
    await writeFile(
      join(dir, 'good.csv'),
      customersCsv(3, (i) => `new-${i},Bo,Berg,bo${i}@example.nl,yes`),
    );
    expect((await cli('import', '--workspace', workspaceId, '--customers', 'good.csv')).stdout.trim()).toBe('customers: 3 created, 0 updated, 0 unchanged');
    // The response export of the CLI: a header row for a workspace without responses; XLSX needs a file.
    const exported = await cli('export-responses', '--workspace', workspaceId, '--from', '2026-01-01', '--to', '2026-02-01');
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout.replace(/^\uFEFF/, '').trim()).toBe(
      'response id,survey,started (Europe/Amsterdam),completed (Europe/Amsterdam),channel,language,business unit,journey phase,touchpoint type,variant,recorded by,customer external id',
    );
    expect((await cli('export-responses', '--workspace', workspaceId, '--from', '2026-01-01', '--to', '2026-02-01', '--format', 'xlsx')).stderr).toContain('--out: an Excel workbook is binary');
    expect((await cli('export-responses', '--workspace', workspaceId, '--from', '2026-02-01', '--to', '2026-01-01')).stderr).toContain('from must be before to');
    const missing = await cli('import', '--workspace', workspaceId, '--customers', 'nowhere.csv');
    expect(missing.stderr).toContain(`--customers: cannot read ${join(dir, 'nowhere.csv')}`);
  }, 120_000);

  it('runs every command through the server while it holds the embedded database, and alone again after it stops', async () => {
    server = spawn('npm', ['start', '--silent'], { cwd: root, env: { ...env(), PORT: '0', NODE_ENV: 'production' }, stdio: ['ignore', 'ignore', 'pipe'] });
    server.stderr!.on('data', (chunk: Buffer) => (serverLog += chunk.toString()));
    let url = '';
    const until = Date.now() + 90_000;
    while (!url || !existsSync(adminSocketPath(join(dir, 'data')))) {
      if (Date.now() > until || server.exitCode !== null) throw new Error(`server did not start: ${serverLog}`);
      url = /cx-graph API: (http:\/\/\S+)\/graphql/.exec(serverLog)?.[1] ?? '';
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(serverLog).toContain('the CLI works while the server runs');

    const listed = await cli('workspace', 'list');
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(`${workspaceId}\tImport BV`);
    const key = await cli('key', 'create', '--workspace', workspaceId, '--name', 'dashboard', '--scopes', 'customers:read');
    const secret = /secret \(shown once\): (\S+)/.exec(key.stdout)![1]!;
    const total = async () => {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
        body: JSON.stringify({ query: '{ customers { totalCount } }' }),
      });
      return ((await res.json()) as { data: { customers: { totalCount: number } } }).data.customers.totalCount;
    };
    expect(await total()).toBe(12_003);

    await writeFile(
      join(dir, 'more.csv'),
      customersCsv(4, (i) => `more-${i},Cas,Smit,cas${i}@example.nl,no`),
    );
    const imported = await cli('import', '--workspace', workspaceId, '--customers', 'more.csv');
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout.trim()).toBe('customers: 4 created, 0 updated, 0 unchanged');
    expect(imported.stderr).toMatch(/customers +\[[^\]]+\] 100% 4\/4/);
    expect(await total()).toBe(12_007);
    // Past responses from another tool, in its own columns, with times in the workspace's zone.
    const admin = /secret \(shown once\): (\S+)/.exec((await cli('key', 'create', '--workspace', workspaceId, '--name', 'admin', '--scopes', 'admin')).stdout)![1]!;
    const created = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({ query: 'mutation { createSurvey(input: { name: "Oud", kind: NPS }) { ... on CreateSurveyPayload { survey { id } } } }' }),
    });
    const surveyGlobalId = ((await created.json()) as { data: { createSurvey: { survey: { id: string } } } }).data.createSurvey.survey.id;
    const surveyUuid = Buffer.from(surveyGlobalId, 'base64').toString().split(':')[1]!;
    await writeFile(join(dir, 'past.csv'), 'externalId,startedAt,customerExternalId,Q1 Aanraden?\nold-1,2025-05-01 10:00,c1,9\nold-2,2025-05-02T08:00:00Z,,3\n');
    const past = await cli('import-responses', '--workspace', workspaceId, '--survey', surveyUuid, '--file', 'past.csv');
    expect(past.code, past.stderr).toBe(0);
    expect(past.stdout.trim()).toBe('responses: 2 created, 0 already imported, 2 answers');
    const bad = await cli('import-responses', '--workspace', workspaceId, '--survey', surveyUuid, '--file', 'past.csv', '--time-zone', 'Mars/Olympus');
    expect(bad.stderr).toContain('is not a time zone');
    expect((await cli('import-responses', '--workspace', workspaceId, '--survey', surveyUuid, '--file', 'past.csv')).stdout.trim()).toBe('responses: 0 created, 2 already imported, 0 answers');
    await writeFile(join(dir, 'wrong.csv'), 'externalId,startedAt,Q1\nnew-1,2025-05-01 10:00,11\n');
    const wrong = await cli('import-responses', '--workspace', workspaceId, '--survey', surveyUuid, '--file', 'wrong.csv');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('responses line 2 (record 0): answers.0.score: must be a whole number from 0 to 10');

    // Errors come back as they would locally, with the exit code.
    const refused = await cli('workspace', 'rename', workspaceId, ' ');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('name: must not be empty');
    expect((await cli('--version')).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);

    server.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => server!.once('exit', (exit) => resolve(exit)));
    expect(code).toBe(0);
    expect(existsSync(adminSocketPath(join(dir, 'data')))).toBe(false);
    const alone = await cli('workspace', 'list');
    expect(alone.code, alone.stderr).toBe(0);
    expect(alone.stdout).toContain(`${workspaceId}\tImport BV`);
  }, 240_000);
});
