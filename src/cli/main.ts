import { rebuildScoreRollups } from '../core/metrics/rebuild-rollups.js';
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { Command } from 'commander';
import { createApiKey, revokeApiKeyOrThrow } from '../core/auth/api-key.service.js';
import { ALL_SCOPES } from '../core/auth/scopes.js';
import { isRole, ROLES } from '../core/auth/roles.js';
import { configureIdentityProvider } from '../core/auth/identity-provider.js';
import { changeMemberRole, inviteMember, listMembers, memberByEmailOrThrow, removeMember, type MemberRow } from '../core/workspaces/members.js';
import { BulkImportRejectedError, DomainError, ValidationError } from '../core/errors.js';
import { parseCsvRecords } from '../core/imports/csv-records.js';
import { importBatchOrThrow } from '../core/imports/bulk-import.service.js';
import type { ImportBatch } from '../core/imports/import-records.js';
import { createWorkspaceWithAdminKey, updateWorkspaceOrThrow } from '../core/workspaces/workspace.service.js';
import { deleteWorkspaceOrThrow } from '../core/workspaces/offboarding.js';
import { loadConfigOrThrow } from '../config.js';
import { openDatabase, type Database } from '../db/database.js';
import { migrateOrThrow } from '../db/migrate.js';
import { recordAudit } from '../core/audit/audit-log.js';
import { globalId } from '../core/events/global-id.js';
import { scopeToWorkspace } from '../db/workspace-scope.js';
import { exportCustomerDataOrThrow } from '../core/customers/export.js';

async function withDatabase<T>(fn: (database: Database) => Promise<T>): Promise<T> {
  const config = loadConfigOrThrow();
  const database = await openDatabase(config.database);
  try {
    await migrateOrThrow(database.sql);
    return await fn(database);
  } finally {
    await database.close();
  }
}

/** Records a CLI write (or export) in the workspace's audit log: the command and the ids it touched. */
async function audit(database: Database, workspaceId: string, command: string, targetIds: string[]) {
  await recordAudit(database.prisma, { workspaceId, actorType: 'CLI', apiKeyId: null, operation: `cli:${command}`, targetIds, outcome: 'OK', requestId: null, occurredAt: new Date() });
}

async function requireWorkspace(database: Database, id: string) {
  const workspace = await database.prisma.workspace.findUnique({ where: { id } }).catch(() => null);
  if (!workspace) throw new ValidationError([{ path: ['--workspace'], message: `no workspace ${id}` }]);
  return workspace;
}

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
const program = new Command('cx-graph').description('cx-graph administration: workspaces, members, API keys, CSV import, migrations').version(version, '-v, --version', 'print the cx-graph version');

program
  .command('migrate')
  .description('apply pending database migrations')
  .action(() =>
    withDatabase(async (database) => {
      const config = loadConfigOrThrow();
      const report = await migrateOrThrow(database.sql);
      console.log(`${config.database.kind}: applied ${report.applied.length} migration(s)${report.applied.length ? `: ${report.applied.join(', ')}` : ''}; ${report.alreadyApplied} already applied`);
    }),
  );

const workspace = program.command('workspace').description('manage workspaces');
workspace
  .command('create <name>')
  .option('--time-zone <zone>', 'IANA time zone for day and month buckets', 'Europe/Amsterdam')
  .description('create a workspace and print its first admin key')
  .action((name: string, options: { timeZone: string }) =>
    withDatabase(async (database) => {
      const created = await createWorkspaceWithAdminKey(database.prisma, { name, timeZone: options.timeZone });
      await audit(database, created.workspace.id, 'workspace create', [globalId('Workspace', created.workspace.id)]);
      console.log(`workspace ${created.workspace.id} "${created.workspace.name}"`);
      console.log(`admin key (shown once): ${created.adminKey.plaintext}`);
    }),
  );

workspace
  .command('list')
  .description('list workspaces: id, name, company name, time zone')
  .action(() =>
    withDatabase(async (database) => {
      const rows = await database.prisma.workspace.findMany({ orderBy: { createdAt: 'asc' } });
      for (const row of rows) console.log(`${row.id}\t${row.name}\t${row.companyName ?? '-'}\t${row.timeZone}`);
      if (rows.length === 0) console.log('no workspaces yet: cx-graph workspace create "My company"');
    }),
  );
workspace
  .command('update <id>')
  .description('rename a workspace or set what customers see: company name, logo, accent colour, sender name ("" clears)')
  .option('--name <name>', 'the workspace name (internal)')
  .option('--time-zone <zone>', 'IANA time zone for day and month buckets')
  .option('--company <name>', 'company name on survey pages and in mails')
  .option('--logo <url>', 'https URL of the logo')
  .option('--accent <colour>', 'button and link colour, #rrggbb with 4.5:1 contrast against white')
  .option('--sender <name>', 'sender name of mails to customers')
  .action((id: string, options: { name?: string; timeZone?: string; company?: string; logo?: string; accent?: string; sender?: string }) =>
    withDatabase(async (database) => {
      await requireWorkspace(database, id);
      const clearable = (value: string | undefined) => (value === undefined ? undefined : value === '' ? null : value);
      const updated = await updateWorkspaceOrThrow(database.prisma, id, {
        name: options.name,
        timeZone: options.timeZone,
        companyName: clearable(options.company),
        logoUrl: clearable(options.logo),
        accentColor: clearable(options.accent),
        senderName: clearable(options.sender),
      });
      await audit(database, id, 'workspace update', [globalId('Workspace', id)]);
      console.log(`workspace ${updated.id} "${updated.name}": company ${updated.companyName ?? '-'}, logo ${updated.logoUrl ?? '-'}, accent ${updated.accentColor ?? 'default'}, sender ${updated.senderName ?? '-'}`);
    }),
  );

workspace
  .command('rename <id> <name>')
  .description('rename a workspace (internal; customers see its company name, set with workspace update --company)')
  .action((id: string, name: string) =>
    withDatabase(async (database) => {
      await requireWorkspace(database, id);
      const updated = await updateWorkspaceOrThrow(database.prisma, id, { name });
      await audit(database, id, 'workspace rename', [globalId('Workspace', id)]);
      console.log(`workspace ${updated.id} is now "${updated.name}"`);
    }),
  );
workspace
  .command('delete <id>')
  .description('offboarding: delete a workspace and everything in it, for good (keys and webhooks are revoked first)')
  .requiredOption('--confirm <name>', 'the workspace name, exactly')
  .action((id: string, options: { confirm: string }) =>
    withDatabase(async (database) => {
      await requireWorkspace(database, id);
      const deletion = await deleteWorkspaceOrThrow(database.sql, id, options.confirm, new Date());
      const total = Object.values(deletion.rows).reduce((sum, rows) => sum + rows, 0);
      console.log(`workspace ${id} deleted: ${total} rows (${Object.entries(deletion.rows).filter(([, rows]) => rows > 0).map(([table, rows]) => `${table} ${rows}`).join(', ')})`);
    }),
  );

workspace
  .command('identity-provider <id>')
  .description("set the OpenID Connect provider whose tokens sign the workspace's members in")
  .requiredOption('--issuer <url>', 'the iss of its tokens (https)')
  .requiredOption('--audience <aud>', 'the aud its tokens carry for this API')
  .option('--jwks-url <url>', 'only when the provider publishes no discovery document')
  .action((id: string, options: { issuer: string; audience: string; jwksUrl?: string }) =>
    withDatabase(async (database) => {
      await requireWorkspace(database, id);
      const config = loadConfigOrThrow();
      const row = await configureIdentityProvider(database.sql, id, { issuer: options.issuer, audience: options.audience, jwksUrl: options.jwksUrl ?? null }, config.oidc.allowLoopbackHttp, new Date());
      await audit(database, id, 'workspace identity-provider', []);
      console.log(`identity provider of ${id}: issuer ${row.issuer}, audience ${row.audience}${row.jwksUrl ? `, keys ${row.jwksUrl}` : ''}`);
    }),
  );

const member = program.command('member').description('manage the people of a workspace and their roles');
const printMember = (row: MemberRow) => console.log(`${row.id}  ${row.email}  ${row.role}  ${row.name ?? ''}  ${row.subject ? `signed in ${row.lastSignInAt?.toISOString() ?? ''}` : 'not signed in yet'}`);
member
  .command('invite <email>')
  .requiredOption('--workspace <id>', 'workspace id')
  .requiredOption('--role <role>', ROLES.join(', '))
  .option('--name <name>', 'display name')
  .option('--locale <locale>', 'nl, en, de or fr')
  .option('--subject <sub>', "the identity provider's subject, when known")
  .action((email: string, options: { workspace: string; role: string; name?: string; locale?: string; subject?: string }) =>
    withDatabase(async (database) => {
      await requireWorkspace(database, options.workspace);
      if (!isRole(options.role)) throw new ValidationError([{ path: ['--role'], message: `must be one of ${ROLES.join(', ')}` }]);
      // The CLI runs with the operator's access to the host: it acts as an owner (this is how the first owner is made).
      const row = await inviteMember(database.sql, options.workspace, 'OWNER', { email, role: options.role, name: options.name ?? null, locale: options.locale ?? null, subject: options.subject ?? null }, new Date());
      await audit(database, options.workspace, 'member invite', [globalId('Member', row.id)]);
      printMember(row);
    }),
  );
member
  .command('list')
  .requiredOption('--workspace <id>', 'workspace id')
  .action((options: { workspace: string }) =>
    withDatabase(async (database) => {
      for (const row of await listMembers(database.sql, options.workspace)) printMember(row);
    }),
  );
member
  .command('role <email> <role>')
  .requiredOption('--workspace <id>', 'workspace id')
  .action((email: string, role: string, options: { workspace: string }) =>
    withDatabase(async (database) => {
      if (!isRole(role)) throw new ValidationError([{ path: ['role'], message: `must be one of ${ROLES.join(', ')}` }]);
      const found = await memberByEmailOrThrow(database.sql, options.workspace, email);
      const row = await changeMemberRole(database.sql, options.workspace, 'OWNER', found.id, role, new Date());
      await audit(database, options.workspace, 'member role', [globalId('Member', row.id)]);
      printMember(row);
    }),
  );
member
  .command('remove <email>')
  .requiredOption('--workspace <id>', 'workspace id')
  .action((email: string, options: { workspace: string }) =>
    withDatabase(async (database) => {
      const found = await memberByEmailOrThrow(database.sql, options.workspace, email);
      const row = await removeMember(database.sql, options.workspace, 'OWNER', found.id, new Date());
      await audit(database, options.workspace, 'member remove', [globalId('Member', row.id)]);
      console.log(`${row.email} removed`);
    }),
  );

const key = program.command('key').description('manage API keys');
key
  .command('create')
  .requiredOption('--workspace <id>', 'workspace id')
  .requiredOption('--name <name>', 'what the key is for')
  .requiredOption('--scopes <scopes>', `comma-separated: ${ALL_SCOPES.join(', ')}`)
  .action((options: { workspace: string; name: string; scopes: string }) =>
    withDatabase(async (database) => {
      await requireWorkspace(database, options.workspace);
      const created = await createApiKey(database.prisma, options.workspace, { name: options.name, scopes: options.scopes.split(',').map((scope) => scope.trim()) });
      await audit(database, options.workspace, 'key create', [globalId('ApiKey', created.id)]);
      console.log(`key ${created.id} (${created.scopes.join(', ')})`);
      console.log(`secret (shown once): ${created.plaintext}`);
    }),
  );
key
  .command('revoke <keyId>')
  .requiredOption('--workspace <id>', 'workspace id')
  .action((keyId: string, options: { workspace: string }) =>
    withDatabase(async (database) => {
      const revoked = await revokeApiKeyOrThrow(database.prisma, options.workspace, keyId);
      await audit(database, options.workspace, 'key revoke', [globalId('ApiKey', revoked.id)]);
      console.log(`key ${revoked.id} revoked at ${revoked.revokedAt?.toISOString()}`);
    }),
  );
key
  .command('list')
  .requiredOption('--workspace <id>', 'workspace id')
  .action((options: { workspace: string }) =>
    withDatabase(async (database) => {
      const keys = await database.prisma.apiKey.findMany({ where: { workspaceId: options.workspace }, orderBy: { createdAt: 'asc' } });
      for (const row of keys) {
        console.log(`${row.id}  ${row.prefix}  ${row.name}  [${row.scopes.join(',')}]  ${row.revokedAt ? 'revoked' : 'active'}  last used ${row.lastUsedAt?.toISOString() ?? 'never'}`);
      }
    }),
  );

program
  .command('import')
  .description('import CSV files in one transaction (all or nothing; same records twice change nothing)')
  .requiredOption('--workspace <id>', 'workspace id')
  .option('--customers <file>', 'customers CSV')
  .option('--orders <file>', 'orders CSV')
  .option('--touchpoints <file>', 'touchpoints CSV')
  .action((options: { workspace: string; customers?: string; orders?: string; touchpoints?: string }) =>
    withDatabase(async (database) => {
      await requireWorkspace(database, options.workspace);
      const batch: ImportBatch = { lines: {} };
      for (const collection of ['customers', 'orders', 'touchpoints'] as const) {
        const file = options[collection];
        if (!file) continue;
        const parsed = parseCsvRecords(await readFile(file, 'utf8'));
        batch[collection] = parsed.records;
        batch.lines![collection] = parsed.lines;
      }
      const result = await importBatchOrThrow(database.prisma, options.workspace, batch);
      await audit(database, options.workspace, 'import', []);
      for (const [collection, counts] of Object.entries(result)) console.log(`${collection}: ${counts.created} created, ${counts.updated} updated`);
    }),
  );

program
  .command('export-customer')
  .description('print everything a workspace holds on one person as JSON (GDPR art. 15/20; schemas/customer-export.schema.json)')
  .requiredOption('--workspace <id>', 'workspace id')
  .option('--customer <id>', 'customer id (uuid or GraphQL id)')
  .option('--external-id <externalId>', "the customer's external id instead")
  .option('--out <file>', 'write to this file instead of standard output')
  .action((options: { workspace: string; customer?: string; externalId?: string; out?: string }) =>
    withDatabase(async (database) => {
      await requireWorkspace(database, options.workspace);
      const db = scopeToWorkspace(database.prisma, options.workspace);
      const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
      // A GraphQL id is base64 of "Customer:<uuid>".
      const given = options.customer && !uuid.test(options.customer) ? Buffer.from(options.customer, 'base64').toString('utf8').replace(/^Customer:/, '') : options.customer;
      const id = options.externalId ? (await db.customer.findFirst({ where: { externalId: options.externalId }, select: { id: true } }))?.id : given && uuid.test(given) ? given : undefined;
      if (!id) throw new ValidationError([{ path: [options.externalId ? '--external-id' : '--customer'], message: options.externalId || options.customer ? 'no such customer in this workspace' : 'name the customer' }]);
      const document = await exportCustomerDataOrThrow(db, id, new Date());
      await audit(database, options.workspace, 'export-customer', [document.customer.id]);
      const json = `${JSON.stringify(document, null, 2)}\n`;
      if (options.out) {
        await writeFile(options.out, json, { mode: 0o600 });
        console.error(`export of ${document.customer.id} written to ${options.out}`);
      } else process.stdout.write(json);
    }),
  );

program
  .command('rebuild-rollups')
  .description("recompute a workspace's score rollups from its answers (after a bulk load or a time zone change)")
  .requiredOption('--workspace <id>', 'workspace id')
  .action((options: { workspace: string }) =>
    withDatabase(async (database) => {
      await requireWorkspace(database, options.workspace);
      const result = await rebuildScoreRollups(database.sql, options.workspace);
      console.log(`rollups rebuilt: ${result.dayRows} day rows, ${result.monthRows} month rows`);
    }),
  );

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof BulkImportRejectedError) {
    console.error(`${error.message}`);
    for (const issue of error.issues) console.error(`  ${issue.collection} line ${issue.line ?? '?'} (record ${issue.index}): ${issue.field}: ${issue.message}`);
  } else if (error instanceof DomainError) {
    console.error(error.message);
  } else {
    console.error(error instanceof Error ? error.message : String(error));
  }
  process.exit(1);
});
