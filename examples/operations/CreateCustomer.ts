import { graphql } from 'relay-runtime';

/** A write returns its payload or a typed error: select `__typename`, the payload and `... on Error`. */
export const createCustomerMutation = graphql`
  mutation CreateCustomerMutation($input: CreateCustomerInput!) {
    createCustomer(input: $input) {
      __typename
      ... on CreateCustomerPayload {
        customer {
          id
          ...CustomerListRow_customer
        }
      }
      ... on ValidationError {
        issues {
          path
          message
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`;
