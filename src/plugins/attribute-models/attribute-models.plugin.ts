import { customerAttribute, customerColumn, definePlugin, ruleModel, z, type SegmentationModel, type SegmentationTables } from '../../core/plugin-sdk/index.js';

const text = (column: keyof SegmentationTables['customer'], description: string) => ({ column: customerColumn(column), type: 'text' as const, description });
const attribute = (key: string, description: string) => ({ column: customerAttribute(key), type: 'text' as const, description });

/** Demographic: who the customer is. */
export const demographicModel = ruleModel({
  code: 'demographic',
  description: 'Customers by demographic rules.',
  vocabulary: {
    ageBand: text('ageBand', 'age band, e.g. 35-44'),
    gender: text('gender', 'gender'),
    incomeBand: text('incomeBand', 'income band'),
    education: text('education', 'education level'),
    maritalStatus: text('maritalStatus', 'marital status'),
    customerSince: { column: customerColumn('customerSince'), type: 'date', description: 'start of the relationship' },
  },
});

/** Geographic: where the customer is. */
export const geographicModel = ruleModel({
  code: 'geographic',
  description: 'Customers by where they live.',
  vocabulary: {
    country: text('country', 'ISO country code'),
    province: text('province', 'province or state'),
    city: text('city', 'city'),
    postcode: text('postcode', 'postcode'),
  },
});

/** Technographic: the devices and software the customer uses. */
export const technographicModel = ruleModel({
  code: 'technographic',
  description: 'Customers by the devices and apps they use.',
  vocabulary: {
    devices: { column: customerColumn('devices'), type: 'list', description: 'devices, e.g. ios, android, desktop' },
    apps: { column: customerColumn('apps'), type: 'list', description: 'apps they use' },
    locale: text('locale', 'language'),
  },
});

/** Psychographic: personality, values, interests and lifestyle, kept in the free-form attributes. */
export const psychographicModel = ruleModel({
  code: 'psychographic',
  description: 'Customers by personality, values, interests and lifestyle (customer attributes of those names).',
  vocabulary: {
    personality: attribute('personality', 'attributes.personality'),
    values: attribute('values', 'attributes.values'),
    interests: attribute('interests', 'attributes.interests'),
    lifestyle: attribute('lifestyle', 'attributes.lifestyle'),
  },
});

export function createAttributeModelsPlugin(options: unknown = {}) {
  return definePlugin({
    name: 'attribute-models',
    version: '1.0.0',
    options,
    optionsSchema: z.object({}).strict(),
    setup: () => ({ segmentationModels: [demographicModel, geographicModel, technographicModel, psychographicModel] as SegmentationModel<unknown>[] }),
  });
}
