import { SALUTATIONS } from '../../core/customers/customer.input.js';
import { JOURNEY_PHASES } from '../../core/commerce/touchpoint.input.js';
import { builder } from '../builder.js';

export const SalutationEnum = builder.enumType('Salutation', {
  description: 'How to address the customer: MR (Dear Mr ...), MS (Dear Ms ...), MX (gender-neutral, first and last name), NONE (unknown: neutral greeting).',
  values: SALUTATIONS,
});

export const JourneyPhaseEnum = builder.enumType('JourneyPhase', {
  description: 'Phase of the customer journey a touchpoint belongs to.',
  values: JOURNEY_PHASES,
});

export const SortDirectionEnum = builder.enumType('SortDirection', { values: ['ASC', 'DESC'] as const });
