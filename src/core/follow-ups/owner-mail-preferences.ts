import { z } from 'zod';
import type { ScopedPrisma } from '../../db/workspace-scope.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { Viewer } from '../auth/viewer.js';
import { viewerCan } from '../auth/viewer.js';
import { ValidationError } from '../errors.js';
import { LANGUAGES } from '../i18n/languages.js';
import { parseOrThrow } from '../validation.js';

const preferenceSchema = z
  .object({
    email: z.email().max(320),
    followUpRaised: z.boolean().nullish(),
    weeklyDigest: z.boolean().nullish(),
    locale: z.enum(LANGUAGES).nullish(),
  })
  .strict();

/**
 * Sets what a follow-up owner is mailed. Owners are named by e-mail on questions, surveys and
 * review sources, members or not; a member without the admin role may change only their own.
 * Fields left out keep their value (defaults: immediate mails on, digest off).
 */
export async function setOwnerMailPreferenceOrThrow(db: ScopedPrisma, viewer: Viewer, input: unknown) {
  const patch = parseOrThrow(preferenceSchema, input, ['input']);
  const email = patch.email.toLowerCase();
  if (viewer.member && !viewerCan(viewer, 'admin') && viewer.member.email.toLowerCase() !== email) {
    throw new ValidationError([{ path: ['input', 'email'], message: 'you can change only your own mail preferences (admins can change anyone’s)' }]);
  }
  const data: Prisma.OwnerMailPreferenceUpdateInput = {};
  if (patch.followUpRaised != null) data.followUpRaised = patch.followUpRaised;
  if (patch.weeklyDigest != null) data.weeklyDigest = patch.weeklyDigest;
  if (patch.locale !== undefined) data.locale = patch.locale;
  return db.ownerMailPreference.upsert({
    where: { workspaceId_email: { workspaceId: '', email } },
    create: { email, ...data } as Prisma.OwnerMailPreferenceUncheckedCreateInput,
    update: data,
  });
}
