import { definePlugin, z, type SegmentationModel } from '../../core/plugin-sdk/index.js';

const parameters = z
  .object({
    /** The needs question: a single- or multiple-choice question. */
    questionId: z.uuid(),
    /** 4 to 6 need profiles, named after the need ("speed", "advice", "price"), each with the answer options that express it. */
    profiles: z
      .array(z.object({ name: z.string().min(1).max(60), options: z.array(z.string()).min(1) }).strict())
      .min(4, 'use 4 to 6 need profiles')
      .max(6, 'use 4 to 6 need profiles'),
    /** The profile this segment holds. */
    profile: z.string().min(1),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (!p.profiles.some((profile) => profile.name === p.profile)) ctx.addIssue({ code: 'custom', path: ['profile'], message: 'must be one of the profiles' });
    const seen = new Map<string, string>();
    p.profiles.forEach((profile, index) =>
      profile.options.forEach((option) => {
        if (seen.has(option)) ctx.addIssue({ code: 'custom', path: ['profiles', index, 'options'], message: `option "${option}" is already in profile ${seen.get(option)}` });
        seen.set(option, profile.name);
      }),
    );
  });

/** Need profiles from answers to a needs question: a customer takes the profile of their latest answer. */
export const needsModel: SegmentationModel<z.output<typeof parameters>> = {
  code: 'needs-based',
  description: 'Need profiles (4 to 6, named after the need) from the answers to a needs question; each answer option maps to one profile and a customer takes the profile of their latest answer.',
  settingsSchema: parameters,
  capabilities: ['explain'],
  membership({ questionId, profiles, profile }, { eb, now }) {
    const options = profiles.find((entry) => entry.name === profile)!.options;
    const latest = eb
      .selectFrom('answers')
      .select('answers.choices')
      .whereRef('answers.customerId', '=', 'customer.id')
      .where('answers.questionId', '=', questionId)
      .where('answers.skipped', '=', false)
      .where((a) => a(a.fn('cardinality', ['answers.choices']), '>', 0))
      .where('answers.answeredAt', '<=', now)
      .orderBy('answers.answeredAt', 'desc')
      .limit(1);
    return eb(latest, '&&', eb.val(options));
  },
  explain: ({ profile }) => [`latest answer to the needs question points to the need "${profile}"`],
};

export function createNeedsModelPlugin(options: unknown = {}) {
  return definePlugin({ name: 'needs-model', version: '1.0.0', options, optionsSchema: z.object({}).strict(), setup: () => ({ segmentationModels: [needsModel as SegmentationModel<unknown>] }) });
}
