import { graphql } from 'relay-runtime';

/** A page of customers with the total, kept in the store by `@connection` so that "load more" appends. */
export const customerListQuery = graphql`
  query CustomerListQuery($first: Int!, $after: String, $filter: CustomerFilter) {
    customers(first: $first, after: $after, filter: $filter) @connection(key: "CustomerList_customers", filters: ["filter"]) {
      totalCount
      edges {
        cursor
        node {
          id
          ...CustomerListRow_customer
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;
