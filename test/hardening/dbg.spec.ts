import { it } from 'vitest';
import { startTestApp } from '../support/harness.js';
import { DATABASE_TARGETS } from '../support/databases.js';
it('dbg', async () => {
  const t = await startTestApp(DATABASE_TARGETS[0]!);
  const w = await t.workspace();
  const r = await t.gql(w.key, `mutation { createCustomer(input: { email: "bad" }) { __typename ... on Error { code message } } }`);
  console.log(JSON.stringify(r.body));
  const r2 = await t.gql(w.key, `mutation { deleteCustomer(input: { id: "Q3VzdG9tZXI6eA" }) { __typename ... on Error { code message } } }`);
  console.log(JSON.stringify(r2.body));
  const r3 = await t.gql(w.key, `{ node(id: "Q3VzdG9tZXI6eA") { id } }`);
  console.log(JSON.stringify(r3.body));
  await t.close();
});
