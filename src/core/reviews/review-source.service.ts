import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { ScopedPrisma } from '../../db/workspace-scope.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { findOrThrow, mapWriteErrorOrRethrow } from '../commerce/references.js';
import { issuesFromZod, ValidationError } from '../errors.js';
import type { PluginRegistry } from '../plugin-sdk/registry.js';
import { parseOrThrow, text } from '../validation.js';

/** Settings keys whose values are credentials: never shown back. */
const SECRET_KEY = /secret|token|password|apikey|api_key|key$/i;

export function redactSettings(settings: unknown): Record<string, unknown> {
  if (!settings || typeof settings !== 'object') return {};
  return Object.fromEntries(Object.entries(settings).map(([key, value]) => [key, SECRET_KEY.test(key) && value != null ? '••••••' : value]));
}

function validatedSettings(registry: PluginRegistry, platformCode: string, settings: unknown) {
  if (!registry.reviewPlatforms.has(platformCode)) throw new ValidationError([{ path: ['input', 'platformCode'], message: `no review platform "${platformCode}" is installed` }]);
  const platform = registry.reviewPlatforms.getByCodeOrThrow(platformCode);
  const parsed = platform.settingsSchema.safeParse(settings ?? {});
  if (!parsed.success) throw new ValidationError(issuesFromZod(parsed.error.issues, ['input', 'settings']));
  return parsed.data as Prisma.InputJsonObject;
}

const connectSchema = z.object({ platformCode: z.string(), name: text(120), settings: z.record(z.string(), z.unknown()), ownerName: text(200).nullish(), ownerEmail: z.email().nullish() }).strict();

export async function connectReviewSourceOrThrow(db: ScopedPrisma, registry: PluginRegistry, input: unknown) {
  const fields = parseOrThrow(connectSchema, input);
  const settings = validatedSettings(registry, fields.platformCode, fields.settings);
  return db.reviewConnection
    .create({
      data: {
        platformCode: fields.platformCode,
        name: fields.name,
        settings,
        ownerName: fields.ownerName ?? null,
        ownerEmail: fields.ownerEmail ?? null,
        pushSecret: randomBytes(24).toString('base64url'),
      } as Prisma.ReviewConnectionUncheckedCreateInput,
    })
    .catch((error: unknown) => mapWriteErrorOrRethrow(error, 'ReviewSource'));
}

/**
 * New settings are merged over the stored ones, so a client can change one field without
 * sending credentials it cannot read back.
 */
export async function updateReviewSourceOrThrow(
  db: ScopedPrisma,
  registry: PluginRegistry,
  id: string,
  input: { name?: string | null; settings?: Record<string, unknown> | null; enabled?: boolean | null; rotatePushSecret?: boolean | null; ownerName?: string | null; ownerEmail?: string | null },
) {
  const source = await findOrThrow(db.reviewConnection.findFirst({ where: { id } }), 'ReviewSource', id);
  const data: Prisma.ReviewConnectionUpdateInput = {};
  if (input.name != null) data.name = parseOrThrow(text(120), input.name, ['input', 'name']);
  if (input.settings != null) {
    data.settings = validatedSettings(registry, source.platformCode, { ...(source.settings as object), ...input.settings });
    data.syncCursor = null;
  }
  if (input.enabled === false) data.status = 'DISABLED';
  if (input.enabled === true && source.status === 'DISABLED') data.status = 'ACTIVE';
  if (input.ownerName !== undefined) data.ownerName = input.ownerName === null ? null : parseOrThrow(text(200), input.ownerName, ['input', 'ownerName']);
  if (input.ownerEmail !== undefined) data.ownerEmail = input.ownerEmail === null ? null : parseOrThrow(z.email(), input.ownerEmail, ['input', 'ownerEmail']);
  if (input.rotatePushSecret) data.pushSecret = randomBytes(24).toString('base64url');
  return db.reviewConnection.update({ where: { id }, data }).catch((error: unknown) => mapWriteErrorOrRethrow(error, 'ReviewSource'));
}

/** Removes a source with its reviews and invitations. */
export async function disconnectReviewSourceOrThrow(db: ScopedPrisma, id: string) {
  const source = await findOrThrow(db.reviewConnection.findFirst({ where: { id } }), 'ReviewSource', id);
  await db.reviewConnection.delete({ where: { id } });
  return source;
}
