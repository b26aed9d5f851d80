/**
 * PostGraphile 5 (amber preset) as a peer in the customer-list benchmark: the same data from the
 * same database, asked for the same shape (customers with their business unit and last 3 orders).
 * PostGraphile runs in its own process (bench/postgraphile-server.mjs). Field names follow PostGraphile's inflection of our schema (composite foreign keys give names
 * such as `businessUnitByWorkspaceIdAndBusinessUnitId`), so they are read from its schema at start.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import pg from 'pg';

export interface Peer {
  url: string;
  /** The request body for the first `n` customers of the workspace. */
  body(n: number): string;
  close(): Promise<void>;
}

type Field = { name: string; type: { name: string | null; kind: string; ofType: { name: string | null } | null } };

async function gql(url: string, query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown };
  if (body.errors) throw new Error(`PostGraphile: ${JSON.stringify(body.errors).slice(0, 500)}`);
  return body.data!;
}

export async function startPostGraphile(connectionString: string, workspaceId: string): Promise<Peer> {
  // Our table "ReviewConnection" would take the name PostGraphile gives the connection type of
  // "Review" (and the schema build would drop relations after the clash): a smart comment renames it.
  const client = new pg.Client({ connectionString });
  await client.connect();
  await client.query(`COMMENT ON TABLE "ReviewConnection" IS E'@name review_source'`);
  await client.end();
  const child = spawn(process.execPath, [new URL('./postgraphile-server.mjs', import.meta.url).pathname], {
    env: { ...process.env, DATABASE_URL: connectionString, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`PostGraphile exited with ${code}`)));
    child.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
  });

  try {
    return await describe(url, workspaceId, child);
  } catch (error) {
    child.kill('SIGTERM');
    await once(child, 'exit');
    throw error;
  }
}

async function describe(url: string, workspaceId: string, child: ReturnType<typeof spawn>): Promise<Peer> {
  const typeOf = async (name: string) =>
    (await gql(url, `query($n: String!) { __type(name: $n) { fields { name type { name kind ofType { name } } } enumValues { name } } }`, { n: name })).__type as {
      fields: Field[] | null;
      enumValues: Array<{ name: string }> | null;
    };
  const customer = await typeOf('Customer');
  const unitField = customer.fields!.find((field) => (field.type.name ?? field.type.ofType?.name) === 'BusinessUnit')!.name;
  const ordersField = customer.fields!.find((field) => (field.type.name ?? field.type.ofType?.name)?.endsWith('Connection') && /^orders/.test(field.name))!.name;
  const orderBy = (await typeOf('OrderOrderBy')) ?? (await typeOf('OrdersOrderBy'));
  const ordersOrder = ['ORDERED_AT_DESC', 'PRIMARY_KEY_DESC'].filter((value) => orderBy.enumValues!.some((entry) => entry.name === value));
  const customersOrder = ['CREATED_AT_ASC', 'PRIMARY_KEY_ASC'];
  if (ordersOrder.length < 2) throw new Error(`PostGraphile cannot order orders as the baseline does: ${JSON.stringify(orderBy.enumValues)}`);
  const query = `query($n: Int!, $ws: UUID!) {
    allCustomers(first: $n, condition: { workspaceId: $ws }, orderBy: [${customersOrder.join(', ')}]) {
      nodes { id firstName infix lastName email ${unitField} { id name } ${ordersField}(first: 3, orderBy: [${ordersOrder.join(', ')}]) { nodes { id amount currency orderedAt } } }
    }
  }`;
  // One request to check the shape before measuring.
  const check = await gql(url, query, { n: 2, ws: workspaceId });
  if (!(check.allCustomers as { nodes: unknown[] }).nodes.length) throw new Error('PostGraphile returned no customers');
  return {
    url,
    body: (n) => JSON.stringify({ query, variables: { n, ws: workspaceId } }),
    async close() {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
