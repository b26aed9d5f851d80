import { rebuildScoreRollups } from '../core/metrics/rebuild-rollups.js';
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { access, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { createApiKey, revokeApiKeyOrThrow } from '../core/auth/api-key.service.js';
import { ALL_SCOPES } from '../core/auth/scopes.js';
import { isRole, ROLES } from '../core/auth/roles.js';
import { configureIdentityProvider } from '../core/auth/identity-provider.js';
import { changeMemberRole, inviteMember, listMembers, memberByEmailOrThrow, removeMember, type MemberRow } from '../core/workspaces/members.js';
import { BulkImportRejectedError, DomainError, ValidationError } from '../core/errors.js';
import { csvRecordStream, csvRows } from '../core/imports/csv-records.js';
import { importHistoricalResponsesOrThrow, MAX_HISTORICAL_RESPONSES, surveyQuestionColumns } from '../core/surveys/historical-import.js';
import { historicalCsv, type HistoricalCsv } from '../core/surveys/historical-csv.js';
import { ImportProgressBar } from './import-progress.js';
import { importStreamsOrThrow, type RecordStream } from '../core/imports/bulk-import.service.js';
import { MAX_IMPORT_RECORDS } from '../core/imports/import-records.js';
import { createWorkspaceWithAdminKey, updateWorkspaceOrThrow } from '../core/workspaces/workspace.service.js';
import { deleteWorkspaceOrThrow } from '../core/workspaces/offboarding.js';
import { loadConfigOrThrow } from '../config.js';
import { openDatabase, type Database } from '../db/database.js';
import { migrateOrThrow } from '../db/migrate.js';
import { recordAudit } from '../core/audit/audit-log.js';
import { globalId } from '../core/events/global-id.js';
import { scopeToWorkspace } from '../db/workspace-scope.js';
import { exportCustomerDataOrThrow } from '../core/customers/export.js';
import { EXPORT_FORMATS, writeExport, type ExportFormat } from '../core/exports/export-writers.js';
import { responseExport, type ResponseExport } from '../core/exports/response-export.js';
import { parseMetricsFilterOrThrow } from '../core/metrics/queries/metrics-filter.js';
import { workspaceTimeZone } from '../core/workspaces/workspace.service.js';

/** Where a command runs: its database, its output, and the directory its file paths are relative to. */
export interface CliContext {
  withDatabase<T>(fn: (database: Database) => Promise<T>): Promise<T>;
  /** Standard output and standard error, as text. */
  out(text: string): void;
  err(text: string): void;
  /** Where progress bars draw (standard error, or its stand-in when the command runs in the server). */
  progressStream: NodeJS.WritableStream & { isTTY?: boolean };
  /** The caller's working directory: file options are relative to it. */
  cwd: string;
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

/** The commands, bound to a context. Commander never exits the process: runCli returns the exit code. */
export function buildProgram(ctx: CliContext): Command {
  const withDatabase = <T>(fn: (database: Database) => Promise<T>) => ctx.withDatabase(fn);
  const println = (text: string) => ctx.out(`${text}\n`);
  const eprintln = (text: string) => ctx.err(`${text}\n`);
  const resolvePath = (file: string) => path.resolve(ctx.cwd, file);
  const program = new Command('cx-graph')
    .description('cx-graph administration: workspaces, members, API keys, CSV import, migrations')
    .version(version, '-v, --version', 'print the cx-graph version')
    // Inherited by every command added below: no process.exit, output through the context.
    .exitOverride()
    .configureOutput({ writeOut: (text) => ctx.out(text), writeErr: (text) => ctx.err(text) });

  program
    .command('migrate')
    .description('apply pending database migrations')
    .action(() =>
      withDatabase(async (database) => {
        const config = loadConfigOrThrow();
        const report = await migrateOrThrow(database.sql);
        println(`${config.database.kind}: applied ${report.applied.length} migration(s)${report.applied.length ? `: ${report.applied.join(', ')}` : ''}; ${report.alreadyApplied} already applied`);
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
        println(`workspace ${created.workspace.id} "${created.workspace.name}"`);
        println(`admin key (shown once): ${created.adminKey.plaintext}`);
      }),
    );

  workspace
    .command('list')
    .description('list workspaces: id, name, company name, time zone')
    .action(() =>
      withDatabase(async (database) => {
        const rows = await database.prisma.workspace.findMany({ orderBy: { createdAt: 'asc' } });
        for (const row of rows) println(`${row.id}\t${row.name}\t${row.companyName ?? '-'}\t${row.timeZone}`);
        if (rows.length === 0) println('no workspaces yet: cx-graph workspace create "My company"');
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
    .option('--churn-after-days <days>', 'retention and churn by activity: no order for this many days ends a relationship ("" clears)')
    .action((id: string, options: { name?: string; timeZone?: string; company?: string; logo?: string; accent?: string; sender?: string; churnAfterDays?: string }) =>
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
          churnAfterDaysWithoutOrder: options.churnAfterDays === undefined ? undefined : options.churnAfterDays === '' ? null : Number(options.churnAfterDays),
        });
        await audit(database, id, 'workspace update', [globalId('Workspace', id)]);
        println(
          `workspace ${updated.id} "${updated.name}": company ${updated.companyName ?? '-'}, logo ${updated.logoUrl ?? '-'}, accent ${updated.accentColor ?? 'default'}, sender ${updated.senderName ?? '-'}`,
        );
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
        println(`workspace ${updated.id} is now "${updated.name}"`);
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
        println(
          `workspace ${id} deleted: ${total} rows (${Object.entries(deletion.rows)
            .filter(([, rows]) => rows > 0)
            .map(([table, rows]) => `${table} ${rows}`)
            .join(', ')})`,
        );
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
        const row = await configureIdentityProvider(
          database.sql,
          id,
          { issuer: options.issuer, audience: options.audience, jwksUrl: options.jwksUrl ?? null },
          config.oidc.allowLoopbackHttp,
          new Date(),
        );
        await audit(database, id, 'workspace identity-provider', []);
        println(`identity provider of ${id}: issuer ${row.issuer}, audience ${row.audience}${row.jwksUrl ? `, keys ${row.jwksUrl}` : ''}`);
      }),
    );

  const member = program.command('member').description('manage the people of a workspace and their roles');
  const printMember = (row: MemberRow) =>
    println(`${row.id}  ${row.email}  ${row.role}  ${row.name ?? ''}  ${row.subject ? `signed in ${row.lastSignInAt?.toISOString() ?? ''}` : 'not signed in yet'}`);
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
        const row = await inviteMember(
          database.sql,
          options.workspace,
          'OWNER',
          { email, role: options.role, name: options.name ?? null, locale: options.locale ?? null, subject: options.subject ?? null },
          new Date(),
        );
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
        println(`${row.email} removed`);
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
        println(`key ${created.id} (${created.scopes.join(', ')})`);
        println(`secret (shown once): ${created.plaintext}`);
      }),
    );
  key
    .command('revoke <keyId>')
    .requiredOption('--workspace <id>', 'workspace id')
    .action((keyId: string, options: { workspace: string }) =>
      withDatabase(async (database) => {
        const revoked = await revokeApiKeyOrThrow(database.prisma, options.workspace, keyId);
        await audit(database, options.workspace, 'key revoke', [globalId('ApiKey', revoked.id)]);
        println(`key ${revoked.id} revoked at ${revoked.revokedAt?.toISOString()}`);
      }),
    );
  key
    .command('list')
    .requiredOption('--workspace <id>', 'workspace id')
    .action((options: { workspace: string }) =>
      withDatabase(async (database) => {
        const keys = await database.prisma.apiKey.findMany({ where: { workspaceId: options.workspace }, orderBy: { createdAt: 'asc' } });
        for (const row of keys) {
          println(`${row.id}  ${row.prefix}  ${row.name}  [${row.scopes.join(',')}]  ${row.revokedAt ? 'revoked' : 'active'}  last used ${row.lastUsedAt?.toISOString() ?? 'never'}`);
        }
      }),
    );

  program
    .command('import')
    .description('import CSV files of any size: validated first, then written in batches in one transaction (all or nothing); only real changes are counted')
    .requiredOption('--workspace <id>', 'workspace id')
    .option('--customers <file>', 'customers CSV')
    .option('--orders <file>', 'orders CSV')
    .option('--touchpoints <file>', 'touchpoints CSV')
    .option('--batch-size <records>', 'records written per statement', '1000')
    .action((options: { workspace: string; customers?: string; orders?: string; touchpoints?: string; batchSize: string }) =>
      withDatabase(async (database) => {
        await requireWorkspace(database, options.workspace);
        const batchSize = Number(options.batchSize);
        if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_IMPORT_RECORDS)
          throw new ValidationError([{ path: ['--batch-size'], message: `must be a whole number from 1 to ${MAX_IMPORT_RECORDS}` }]);
        const sources: Partial<Record<'customers' | 'orders' | 'touchpoints', RecordStream>> = {};
        for (const collection of ['customers', 'orders', 'touchpoints'] as const) {
          const file = options[collection];
          if (!file) continue;
          const full = resolvePath(file);
          await access(full).catch(() => {
            throw new ValidationError([{ path: [`--${collection}`], message: `cannot read ${full}` }]);
          });
          sources[collection] = () => csvRecordStream(createReadStream(full));
        }
        if (Object.keys(sources).length === 0) throw new ValidationError([{ path: ['--customers'], message: 'name at least one file: --customers, --orders or --touchpoints' }]);
        const progress = new ImportProgressBar(ctx.progressStream);
        const result = await importStreamsOrThrow(database.prisma, options.workspace, sources, {
          batchSize,
          onValidated: (totals) => {
            eprintln(
              `validated ${Object.entries(totals)
                .filter(([, count]) => count > 0)
                .map(([collection, count]) => `${count} ${collection}`)
                .join(', ')}; writing`,
            );
            progress.start(totals);
          },
          onProgress: (step) => progress.update(step),
        }).finally(() => progress.stop());
        await audit(database, options.workspace, 'import', []);
        for (const [collection, counts] of Object.entries(result)) {
          if (!sources[collection as keyof typeof sources]) continue;
          println(`${collection}: ${counts.created} created, ${counts.updated} updated, ${counts.unchanged} unchanged`);
        }
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
        const given =
          options.customer && !uuid.test(options.customer)
            ? Buffer.from(options.customer, 'base64')
                .toString('utf8')
                .replace(/^Customer:/, '')
            : options.customer;
        const id = options.externalId ? (await db.customer.findFirst({ where: { externalId: options.externalId }, select: { id: true } }))?.id : given && uuid.test(given) ? given : undefined;
        if (!id)
          throw new ValidationError([
            { path: [options.externalId ? '--external-id' : '--customer'], message: options.externalId || options.customer ? 'no such customer in this workspace' : 'name the customer' },
          ]);
        const document = await exportCustomerDataOrThrow(db, id, new Date());
        await audit(database, options.workspace, 'export-customer', [document.customer.id]);
        const json = `${JSON.stringify(document, null, 2)}\n`;
        if (options.out) {
          await writeFile(resolvePath(options.out), json, { mode: 0o600 });
          eprintln(`export of ${document.customer.id} written to ${options.out}`);
        } else ctx.out(json);
      }),
    );

  program
    .command('import-responses')
    .description(
      "import past responses to a survey from a CSV file (this importer's columns or a response export's): original times, no follow-ups, mails or events; batches of 5,000, each all or nothing; importing again skips what is there",
    )
    .requiredOption('--workspace <id>', 'workspace id')
    .requiredOption('--survey <id>', 'survey id (uuid)')
    .requiredOption('--file <file>', 'the CSV file')
    .option('--time-zone <zone>', 'for times without an offset whose header names no zone (default: the workspace time zone)')
    .action((options: { workspace: string; survey: string; file: string; timeZone?: string }) =>
      withDatabase(async (database) => {
        const workspace = await requireWorkspace(database, options.workspace);
        const file = resolvePath(options.file);
        await access(file).catch(() => {
          throw new ValidationError([{ path: ['--file'], message: `cannot read ${file}` }]);
        });
        const questions = await surveyQuestionColumns(database.sql, options.workspace, options.survey);
        const totals = { read: 0, created: 0, alreadyImported: 0, answers: 0 };
        let reader: HistoricalCsv | null = null;
        let batch: Array<{ record: Record<string, unknown>; line: number }> = [];
        const flush = async () => {
          if (batch.length === 0) return;
          const result = await importHistoricalResponsesOrThrow(
            database.sql,
            options.workspace,
            options.survey,
            batch.map((entry) => entry.record),
            new Date(),
          ).catch((error: unknown) => {
            if (!(error instanceof BulkImportRejectedError)) throw error;
            const lines = batch.map((entry) => entry.line);
            throw new BulkImportRejectedError(error.issues.map((issue) => ({ ...issue, ...(issue.index >= 0 ? { line: lines[issue.index] } : {}), index: totals.read - batch.length + issue.index })));
          });
          totals.created += result.created;
          totals.alreadyImported += result.alreadyImported;
          totals.answers += result.answers;
          eprintln(`responses: ${totals.read} read, ${totals.created} created, ${totals.alreadyImported} already imported`);
          batch = [];
        };
        for await (const { headers, row, line } of csvRows(createReadStream(file))) {
          reader ??= historicalCsv(headers, questions, options.timeZone ?? workspace.timeZone);
          batch.push({ record: reader.toRecord(row), line });
          totals.read += 1;
          if (batch.length >= MAX_HISTORICAL_RESPONSES) await flush();
        }
        await flush();
        if (reader && reader.ignored.length > 0) eprintln(`columns not imported: ${reader.ignored.join(', ')}`);
        await audit(database, options.workspace, 'import-responses', []);
        println(`responses: ${totals.created} created, ${totals.alreadyImported} already imported, ${totals.answers} answers`);
      }),
    );

  program
    .command('export-responses')
    .description('write the responses of a period as CSV or Excel: one row per response, a column per question, times in the workspace time zone (the same file as responseExportLink)')
    .requiredOption('--workspace <id>', 'workspace id')
    .requiredOption('--from <day>', 'first day, YYYY-MM-DD (workspace time zone)')
    .requiredOption('--to <day>', 'day after the last, YYYY-MM-DD')
    .option('--survey <id...>', 'only these surveys (uuid)')
    .option('--format <format>', 'csv or xlsx', 'csv')
    .option('--out <file>', 'write to this file instead of standard output')
    .action((options: { workspace: string; from: string; to: string; survey?: string[]; format: string; out?: string }) =>
      withDatabase(async (database) => {
        await requireWorkspace(database, options.workspace);
        const format = options.format.toUpperCase();
        if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new ValidationError([{ path: ['--format'], message: 'must be csv or xlsx' }]);
        if (format === 'XLSX' && !options.out) throw new ValidationError([{ path: ['--out'], message: 'an Excel workbook is binary: name a file to write it to' }]);
        const filter = parseMetricsFilterOrThrow({ period: { from: options.from, to: options.to }, ...(options.survey ? { surveyIds: options.survey } : {}) }, []);
        const workspace = await workspaceTimeZone(database.sql, options.workspace);
        // The operator has the host's access: the customer column and open answers are included.
        const data = await responseExport(database.sql, workspace, filter, { personalData: true });
        let rows = 0;
        const counted: ResponseExport = {
          headers: data.headers,
          rows: (async function* () {
            for await (const row of data.rows) {
              rows += 1;
              yield row;
            }
          })(),
        };
        if (options.out) {
          const file = resolvePath(options.out);
          await writeExport(format as ExportFormat, counted, createWriteStream(file, { mode: 0o600 }));
          eprintln(`${rows} responses written to ${file}`);
        } else {
          // A character may be split between chunks: decode across them.
          const utf8 = new StringDecoder('utf8');
          await writeExport(
            'CSV',
            counted,
            new Writable({
              write: (chunk: Buffer, _encoding, callback) => {
                ctx.out(utf8.write(chunk));
                callback();
              },
              final: (callback) => {
                ctx.out(utf8.end());
                callback();
              },
            }),
          );
        }
        await audit(database, options.workspace, 'export-responses', []);
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
        println(`rollups rebuilt: ${result.dayRows} day rows, ${result.monthRows} month rows`);
      }),
    );

  return program;
}

/** Runs one command line (arguments after the program name); returns the exit code. */
export async function runCli(args: string[], ctx: CliContext): Promise<number> {
  const program = buildProgram(ctx);
  try {
    await program.parseAsync(args, { from: 'user' });
    return 0;
  } catch (error: unknown) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof BulkImportRejectedError) {
      ctx.err(`${error.message}\n`);
      for (const issue of error.issues) ctx.err(`  ${issue.collection} line ${issue.line ?? '?'} (record ${issue.index}): ${issue.field}: ${issue.message}\n`);
    } else if (error instanceof DomainError) {
      ctx.err(`${error.message}\n`);
    } else {
      ctx.err(`${error instanceof Error ? error.message : String(error)}\n`);
    }
    return 1;
  }
}
