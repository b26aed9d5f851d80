import { definePlugin, z, type SegmentationModel } from '../core/plugin-sdk/index.js';

const parameters = z.object({ initial: z.string().length(1) }).strict();

/** A minimal model for tests: customers whose first name starts with a letter. */
export const fakeSegmentationModel: SegmentationModel<z.output<typeof parameters>> = {
  code: 'first-initial',
  description: 'Customers whose first name starts with a letter (tests)',
  settingsSchema: parameters,
  capabilities: ['explain'],
  membership: ({ initial }, { eb }) => eb(eb.fn('upper', [eb.fn('left', ['customer.firstName', eb.lit(1)])]), '=', initial.toUpperCase()),
  explain: ({ initial }) => [`first name starts with ${initial}`],
};

export const fakeSegmentationPlugin = definePlugin({
  name: 'fake-segmentation',
  version: '1.0.0',
  options: {},
  optionsSchema: z.object({}),
  setup: () => ({ segmentationModels: [fakeSegmentationModel as SegmentationModel<unknown>] }),
});
