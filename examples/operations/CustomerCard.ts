import { graphql } from 'relay-runtime';

/** A customer card that refetches itself through `node(id)` (Relay generates CustomerCardRefetchQuery). */
export const customerCardFragment = graphql`
  fragment CustomerCard_customer on Customer @refetchable(queryName: "CustomerCardRefetchQuery") {
    id
    fullName
    locale
    consentSurveys
    segments {
      id
      name
    }
    orders(first: 3) {
      totalCount
      edges {
        node {
          id
          amount
          currency
          orderedAt
        }
      }
    }
  }
`;
