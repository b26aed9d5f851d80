/**
 * Compiled in the test suite against the types graphql-codegen and relay-compiler generate from
 * the example operations: when the schema changes in a way that breaks these clients, this file
 * (or the generators) fail.
 */
import type { CreateCustomerMutationMutation, CustomerListQueryQuery, WorkspaceEventsSubscriptionSubscription } from './generated/graphql';
import type { CustomerListRow_customer$data } from './operations/__generated__/CustomerListRow_customer.graphql';
import type { CustomerCard_customer$data } from './operations/__generated__/CustomerCard_customer.graphql';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

type Page = NonNullable<CustomerListQueryQuery['customers']>;
type Row = Page['edges'][number]['node'];

export type Checks = [
  // Custom scalars arrive as strings, not `unknown`; always-present fields are non-null.
  Expect<Equal<Row['createdAt'], string>>,
  Expect<Equal<Row['id'], string>>,
  Expect<Equal<Page['totalCount'], number>>,
  Expect<Equal<CustomerListRow_customer$data['createdAt'], string>>,
  Expect<Equal<NonNullable<CustomerCard_customer$data['orders']>['totalCount'], number>>,
];

/** A mutation's result narrows by `__typename`: the payload, a validation error, or any other error. */
export function describeCreateCustomer(result: CreateCustomerMutationMutation['createCustomer']): string {
  if (!result) return 'no result';
  switch (result.__typename) {
    case 'CreateCustomerPayload':
      return `created ${result.customer.id}`;
    case 'ValidationError':
      return result.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    default:
      return `${result.code}: ${result.message}`;
  }
}

/** An event's payload narrows by kind. */
export function describeEvent(event: WorkspaceEventsSubscriptionSubscription['events']): string {
  if (!event) return 'none';
  const payload = event.payload;
  switch (payload.__typename) {
    case 'ResponseCompletedEvent':
      return `response ${payload.responseId} completed at ${event.occurredAt}`;
    case 'FollowUpCreatedEvent':
      return `follow-up ${payload.followUpId} due ${payload.dueAt ?? 'never'}`;
    case 'ReviewCreatedEvent':
      return `review ${payload.reviewId}: ${payload.stars ?? '?'} stars`;
    default:
      return event.type;
  }
}
