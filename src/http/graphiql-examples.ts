/**
 * The saved example operations GraphiQL opens with (development): the main flows, each in a tab.
 * Paste a key or a member's token into the Headers editor once; it is kept in the browser. The
 * editor starts empty: a placeholder would be sent as a credential and fail.
 */
export const GRAPHIQL_HEADERS = '{}';

export const GRAPHIQL_TABS: Array<{ query: string; variables?: string }> = [
  {
    query: `# cx-graph. Open "Headers" below and paste your API key or token once (it is kept in this browser):
#   { "Authorization": "Bearer cxk_..." }
# The schema (Docs, completion) loads without it.
query WhoAmI {
  viewer { kind role scopes }
  workspace { name timeZone }
}
`,
  },
  {
    query: `query CustomerList($first: Int = 20) {
  customers(first: $first) {
    edges {
      node {
        id
        fullName
        email
        orders(first: 3) { edges { node { amount currency orderedAt } } }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
`,
  },
  {
    query: `query NpsThisYear($filter: MetricsFilter!) {
  metrics(filter: $filter) {
    nps { score responses marginOfError promoters { count share } detractors { count share } }
    npsTrend(bucket: MONTH) { bucket nps { score responses } }
    # A chart of the trend to embed in a dashboard or a mail (open the svgUrl).
    chart(kind: NPS, bucket: MONTH) { svgUrl pngUrl expiresAt }
  }
  # The responses behind it as a spreadsheet (the link expires after 15 minutes).
  responseExportLink(filter: $filter, format: XLSX) { url expiresAt }
}
`,
    variables: JSON.stringify({ filter: { period: { from: '2026-01-01', to: '2027-01-01' } } }, null, 2),
  },
  {
    query: `mutation CreateCustomer($input: CreateCustomerInput!) {
  createCustomer(input: $input) {
    __typename
    ... on CreateCustomerPayload { customer { id fullName } }
    ... on ValidationError { issues { path message } }
    ... on Error { message code }
  }
}
`,
    variables: JSON.stringify({ input: { externalId: 'c-1', firstName: 'Anna', lastName: 'Jansen', email: 'anna@example.com' } }, null, 2),
  },
  {
    query: `query MyFollowUps {
  # mine: true needs a member's token; with an API key, filter by ownerEmail instead.
  followUps(first: 20, filter: { statuses: [OPEN, IN_PROGRESS] }) {
    edges { node { id priority dueAt overdue comment ownerName } }
  }
}
`,
  },
  {
    query: `subscription LiveEvents {
  events(types: ["response.completed", "review.created"]) {
    type
    occurredAt
    payload {
      __typename
      ... on ResponseCompletedEvent { responseId surveyId channel }
      ... on ReviewCreatedEvent { reviewId platformCode stars }
    }
  }
}
`,
  },
];
