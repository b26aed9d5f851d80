import { graphql } from 'relay-runtime';

/** One row of the customer list. */
export const customerListRowFragment = graphql`
  fragment CustomerListRow_customer on Customer {
    id
    fullName
    email
    createdAt
    customerSince
    businessUnit {
      id
      name
    }
  }
`;
