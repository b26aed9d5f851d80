import { graphql } from 'relay-runtime';

/** Live events (graphql-ws or SSE), each with its typed payload. */
export const workspaceEventsSubscription = graphql`
  subscription WorkspaceEventsSubscription($types: [String!]) {
    events(types: $types) {
      id
      sequence
      type
      occurredAt
      payload {
        __typename
        ... on ResponseCompletedEvent {
          responseId
          surveyId
          channel
        }
        ... on FollowUpCreatedEvent {
          followUpId
          score
          priority
          dueAt
        }
        ... on ReviewCreatedEvent {
          reviewId
          platformCode
          stars
        }
      }
    }
  }
`;
