import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);

/** The workspace commands of the CLI, as an operator runs them, on a fresh embedded database. */
describe('cx-graph workspace create, list and update, and export-customer', () => {
  let dir: string;
  const cli = async (...args: string[]) => {
    try {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
        cwd: join(__dirname, '..'),
        env: { PATH: process.env.PATH, HOME: process.env.HOME, CX_DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'warn' },
        timeout: 120_000,
      });
      return { code: 0, stdout, stderr: '' };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cx-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('renames a workspace and sets its branding, refusing a colour without contrast', async () => {
    const created = await cli('workspace', 'create', 'My workspace');
    expect(created.code).toBe(0);
    const id = /workspace ([0-9a-f-]{36})/.exec(created.stdout)![1]!;

    const refused = await cli('workspace', 'update', id, '--accent', '#ffee00');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/accentColor: has a contrast of 1\.\d:1 against white/);

    const updated = await cli('workspace', 'update', id, '--name', 'Fietshuis BV', '--company', 'Fietshuis Berg', '--accent', '#0B5E3A', '--sender', 'Fietshuis Berg');
    expect(updated.code).toBe(0);
    expect(updated.stdout).toContain('company Fietshuis Berg');
    expect(updated.stdout).toContain('accent #0b5e3a');

    const cleared = await cli('workspace', 'update', id, '--sender', '');
    expect(cleared.stdout).toContain('sender -');

    const renamed = await cli('workspace', 'rename', id, 'Fietshuis');
    expect(renamed.stdout.trim()).toBe(`workspace ${id} is now "Fietshuis"`);
    expect((await cli('workspace', 'rename', id, ' ')).stderr).toContain('name: must not be empty');

    const listed = await cli('workspace', 'list');
    expect(listed.stdout.trim()).toBe(`${id}\tFietshuis\tFietshuis Berg\tEurope/Amsterdam`);

    // Export one person (GDPR art. 15/20) as an operator would: the JSON document on standard output.
    await writeFile(join(dir, 'customers.csv'), 'externalId,firstName,lastName,email\nc-1,Anna,Jansen,anna@example.com\n');
    expect((await cli('import', '--workspace', id, '--customers', join(dir, 'customers.csv'))).code).toBe(0);
    const exported = await cli('export-customer', '--workspace', id, '--external-id', 'c-1');
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({
      format: 'cx-graph.customer-export/1',
      workspace: { id, companyName: 'Fietshuis Berg' },
      customer: { firstName: 'Anna', email: 'anna@example.com' },
    });
    const unknown = await cli('export-customer', '--workspace', id, '--external-id', 'nobody');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('--external-id: no such customer in this workspace');
  }, 240_000);

  it('manages members and the identity provider: the first owner, roles, the last owner kept', async () => {
    const created = await cli('workspace', 'create', 'Team');
    const id = /workspace ([0-9a-f-]{36})/.exec(created.stdout)![1]!;
    const idp = await cli('workspace', 'identity-provider', id, '--issuer', 'https://login.example.com/', '--audience', 'cx-graph');
    expect(idp.stdout.trim()).toBe(`identity provider of ${id}: issuer https://login.example.com/, audience cx-graph`);
    expect((await cli('workspace', 'identity-provider', id, '--issuer', 'http://login.example.com', '--audience', 'x')).stderr).toContain('issuer: must be an https URL');

    expect((await cli('member', 'invite', 'Olga@Example.com', '--workspace', id, '--role', 'OWNER', '--name', 'Olga')).stdout).toMatch(/olga@example\.com {2}OWNER {2}Olga {2}not signed in yet/);
    expect((await cli('member', 'invite', 'sam@example.com', '--workspace', id, '--role', 'AGENT')).code).toBe(0);
    expect((await cli('member', 'invite', 'x@example.com', '--workspace', id, '--role', 'BOSS')).stderr).toContain('--role: must be one of OWNER, ADMIN, ANALYST, AGENT, VIEWER');
    expect((await cli('member', 'role', 'sam@example.com', 'ANALYST', '--workspace', id)).stdout).toContain('sam@example.com  ANALYST');
    const lastOwner = await cli('member', 'remove', 'olga@example.com', '--workspace', id);
    expect(lastOwner.code).toBe(1);
    expect(lastOwner.stderr).toContain('last owner');
    expect((await cli('member', 'remove', 'sam@example.com', '--workspace', id)).stdout.trim()).toBe('sam@example.com removed');
    const listed = await cli('member', 'list', '--workspace', id);
    expect(listed.stdout.trim().split('\n')).toHaveLength(1);
    expect(listed.stdout).toContain('olga@example.com  OWNER');
  }, 240_000);
});
