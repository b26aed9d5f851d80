import type { CxSchemaBuilder } from '../core/plugin-sdk/schema-builder.js';
import type { GraphQLSchema } from 'graphql';
import { guardPersonalFields } from './personal-fields.js';
import type { PluginRegistry } from '../core/plugin-sdk/registry.js';
import { auditOperations } from './audit.js';
import { builder } from './builder.js';
import './errors.js';
import './types/api-key.js';
import './types/business-unit.js';
import './types/customer.js';
import './types/personal-data.js';
import './types/audit-entry.js';
import './types/retention.js';
import './types/enums.js';
import './types/import.js';
import './types/order.js';
import './types/plugin-contribution.js';
import './types/touchpoint.js';
import './types/workspace.js';
import './types/member.js';
import './types/identity-provider.js';
import './types/viewer.js';
import './types/survey-enums.js';
import './types/survey.js';
import './types/question.js';
import './types/invitation.js';
import './types/survey-response.js';
import './types/survey-channel.js';
import './types/metrics/metrics.js';
import './types/metrics/entity-metrics.js';
import './types/segment.js';
import './types/segmentation-model.js';
import './types/review-platform.js';
import './types/review-source.js';
import './types/review.js';
import './types/review-invitation.js';
import './types/metrics/review-metrics.js';
import './types/domain-event.js';
import './types/response-export.js';
import './types/historical-import.js';
import './types/webhook-subscription.js';
import './types/follow-up.js';
import './types/owner-mail-preference.js';
import './types/improvement-action.js';

builder.queryType({ description: 'Everything is scoped to the workspace of the API key.' });
builder.mutationType({ description: 'Writes take one input and return a payload or a typed error.' });

const signature = (registry: PluginRegistry) => registry.plugins.map((plugin) => `${plugin.name}@${plugin.version}`).join(',');

let built: { schema: GraphQLSchema; registry: PluginRegistry } | undefined;

/**
 * Builds the schema once per process: the core types above plus what plugins register. The
 * builder is module state, so a second registry must carry the same plugins.
 */
export function buildSchema(registry: PluginRegistry): GraphQLSchema {
  if (built) {
    if (built.registry !== registry && signature(built.registry) !== signature(registry)) {
      throw new Error('The schema was already built with another plugin registry in this process');
    }
    return built.schema;
  }
  // Plugins see the same builder with the narrower context of the SDK (PluginRequestContext).
  registry.extendSchema(builder as unknown as CxSchemaBuilder);
  const schema = builder.toSchema({ sortSchema: true });
  auditOperations(schema);
  guardPersonalFields(schema);
  built = { schema, registry };
  return schema;
}
