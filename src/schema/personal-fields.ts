import { defaultFieldResolver, getNamedType, isNonNullType, isObjectType, isScalarType, type GraphQLSchema } from 'graphql';
import { ForbiddenError } from '../core/errors.js';
import type { RequestContext } from '../core/request-context.js';

/**
 * Fields that show who a customer is or what they wrote: names, e-mail, phone, address, external
 * ids, free attributes, open-text answers, follow-up comments and notes, review authors and texts,
 * links that act as the person (survey links), event payloads. A caller without personal-data
 * access (the VIEWER role) gets null for each, with a FORBIDDEN error, on every path: lists,
 * node(id), nested fields and subscriptions. Demographic bands, country, province, channels and
 * every score stay visible: that is the anonymised view.
 */
export const PERSONAL_FIELDS: Record<string, readonly string[]> = {
  Answer: ['text'],
  Customer: ['externalId', 'firstName', 'infix', 'lastName', 'fullName', 'email', 'phone', 'postcode', 'city', 'attributes'],
  CustomerErasedEvent: ['customerId'],
  DomainEvent: ['data', 'subjectId'],
  FollowUpCreatedEvent: ['customerId'],
  InvitationBouncedEvent: ['customerId', 'reason'],
  FollowUp: ['comment'],
  FollowUpNote: ['text'],
  Invitation: ['failureMessage', 'url'],
  Review: ['authorName', 'title', 'text', 'url', 'replyText', 'replyDraft', 'replyAuthor', 'replyError'],
  ReviewInvitation: ['failureMessage', 'url'],
  ResponseCompletedEvent: ['customerId'],
  ResponseStartedEvent: ['customerId'],
  ReviewCreatedEvent: ['customerId'],
  ReviewRepliedEvent: ['text', 'author'],
  ReviewUpdatedEvent: ['customerId'],
  ReviewVersion: ['title', 'text'],
  SegmentMembershipChangedEvent: ['enteredCustomerIds', 'leftCustomerIds'],
  Touchpoint: ['subject', 'attributes'],
};

/** Every other text or JSON field, classified as not personal (configuration, codes, the team's own names). */
export const OTHER_FIELDS: Record<string, readonly string[]> = {
  Answer: ['choices'],
  ApiKey: ['name', 'prefix', 'scopes'],
  AuditEntry: ['actorType', 'operation', 'outcome', 'requestId', 'targetIds'],
  BusinessUnit: ['externalId', 'name'],
  CesByGroup: ['value'],
  ChartLink: ['pngUrl', 'svgUrl'],
  CommerceMetric: ['currency'],
  CommerceTrendPoint: ['currency'],
  ConfiguredSurveyChannel: ['code'],
  CreatedApiKey: ['secret'],
  CsatByGroup: ['value'],
  Customer: ['ageBand', 'apps', 'country', 'devices', 'education', 'gender', 'incomeBand', 'locale', 'maritalStatus', 'preferredChannel', 'province'],
  DeletedTableRows: ['table'],
  DomainEvent: ['id', 'sequence', 'type'],
  ErasedTableCount: ['table'],
  FieldIssue: ['message', 'path'],
  FollowUp: ['ownerEmail', 'ownerName'],
  FollowUpChangedEvent: ['changedFields'],
  FollowUpCreatedEvent: ['ownerEmail'],
  FollowUpNote: ['author'],
  GroupRevenue: ['currency'],
  IdentityProvider: ['audience', 'issuer', 'jwksUrl'],
  InvitationBouncedEvent: ['channel'],
  ImprovementAction: ['description', 'ownerEmail', 'ownerName', 'publicTexts', 'title'],
  Invitation: ['channel', 'locale', 'variant'],
  LocalizedText: ['locale', 'text'],
  Member: ['email', 'locale', 'name', 'scopes'],
  NpsByGroup: ['value'],
  Order: ['channel', 'currency', 'externalId', 'lines'],
  OwnerMailPreference: ['email', 'locale'],
  PluginContribution: ['capabilities', 'code', 'description', 'pluginName', 'pluginVersion'],
  Question: ['ownerEmail', 'ownerName'],
  QuestionOption: ['value'],
  QuestionText: ['highLabel', 'locale', 'lowLabel', 'text'],
  RecordIssue: ['collection', 'field', 'message'],
  ResponseCompletedEvent: ['channel'],
  ResponseExportLink: ['url'],
  ResponseRateByGroup: ['value'],
  ResponseStartedEvent: ['channel'],
  Review: ['externalId', 'language', 'languageSource', 'platformCode'],
  ReviewCreatedEvent: ['externalId', 'platformCode'],
  ReviewInvitationRule: ['touchpointType'],
  ReviewMetrics: ['platformCode'],
  ReviewRepliedEvent: ['platformCode'],
  ReviewUpdatedEvent: ['externalId', 'platformCode'],
  ReviewPlatform: ['capabilities', 'code', 'description', 'displayName', 'plugin', 'settingsSchema'],
  ReviewSource: ['lastError', 'name', 'ownerEmail', 'ownerName', 'platformCode', 'pushUrl', 'settings'],
  ReviewSyncResult: ['errorKind', 'errorMessage', 'skipped'],
  Segment: ['description', 'explanation', 'modelCode', 'name', 'parameters'],
  SegmentationModel: ['capabilities', 'code', 'description', 'parametersSchema', 'plugin'],
  ShareOfWalletMetric: ['currency'],
  Survey: ['channel', 'defaultLocale', 'name', 'ownerEmail', 'ownerName', 'triggerTouchpointTypes'],
  SurveyChannel: ['capabilities', 'code', 'description', 'plugin', 'problem', 'settingKeys'],
  SurveyResponse: ['channel', 'locale', 'recordedBy', 'touchpointType'],
  SurveyText: ['buttonLabel', 'duration', 'locale', 'reason', 'reminderSubject', 'signature', 'subject', 'thankYou', 'title', 'whyWeAsk'],
  SurveyVariantResult: ['variant'],
  Touchpoint: ['channel', 'externalId', 'type'],
  Viewer: ['kind', 'scopes'],
  WebhookDelivery: ['lastError'],
  WebhookSubscription: ['description', 'disabledReason', 'eventTypes', 'url'],
  WebhookSubscriptionWithSecret: ['secret'],
  Workspace: ['accentColor', 'companyName', 'logoUrl', 'name', 'senderName', 'timeZone'],
  YouSaidWeDid: ['did', 'said'],
};

/** Text-like fields of these types carry no data about anyone: error messages, cursors. */
export function unclassifiedByRule(typeName: string): boolean {
  return typeName.endsWith('Error') || typeName.endsWith('ConnectionEdge') || typeName === 'PageInfo';
}

export const TEXT_SCALARS: ReadonlySet<string> = new Set(['String', 'JSON', 'JSONObject', 'EmailAddress']);

/** Text-like output fields of the schema, as Type.field, that must be classified above. */
export function textFields(schema: GraphQLSchema): string[] {
  const found: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__') || ['Query', 'Mutation', 'Subscription'].includes(type.name) || unclassifiedByRule(type.name)) continue;
    for (const field of Object.values(type.getFields())) {
      const named = getNamedType(field.type);
      if (isScalarType(named) && TEXT_SCALARS.has(named.name)) found.push(`${type.name}.${field.name}`);
    }
  }
  return found.sort();
}

/** Wraps every personal field: without personal-data access it resolves to null with a FORBIDDEN error. */
export function guardPersonalFields(schema: GraphQLSchema): void {
  for (const [typeName, fieldNames] of Object.entries(PERSONAL_FIELDS)) {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) throw new Error(`personal-fields: ${typeName} is not an object type of the schema`);
    for (const fieldName of fieldNames) {
      const field = type.getFields()[fieldName];
      if (!field) throw new Error(`personal-fields: ${typeName}.${fieldName} does not exist`);
      if (isNonNullType(field.type)) throw new Error(`personal-fields: ${typeName}.${fieldName} must be nullable to be withheld`);
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, ctx: RequestContext, info) => {
        if (ctx.viewer && !ctx.viewer.personalData) throw new ForbiddenError(`Personal data is not shown to this role: ${typeName}.${fieldName}`);
        return resolve(source, args, ctx, info);
      };
    }
  }
}
