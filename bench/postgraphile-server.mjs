// PostGraphile 5 (amber preset) on the database named by DATABASE_URL, in a process of its own, as
// the benchmark's peer. Plain JavaScript and its own process: PostGraphile's type augmentations of
// `graphql` stay out of the project's type check. Prints its URL on stdout when it listens.
import { createServer } from 'node:http';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';

const pgl = postgraphile({
  extends: [PostGraphileAmberPreset],
  // Our foreign keys lead with "workspaceId" and the indexes with other columns: without this,
  // PostGraphile leaves relations whose columns it finds unindexed (Customer -> orders) out.
  disablePlugins: ['PgIndexBehaviorsPlugin'],
  pgServices: [makePgService({ connectionString: process.env.DATABASE_URL, schemas: ['public'], poolConfig: { max: 16 } })],
  grafserv: { graphqlPath: '/graphql', graphiql: false },
});
const serv = pgl.createServ(grafserv);
const server = createServer();
serv.addTo(server);
server.listen(0, '127.0.0.1', () => process.stdout.write(`http://127.0.0.1:${server.address().port}/graphql\n`));
process.on('SIGTERM', () => {
  server.close();
  void pgl.release().then(() => process.exit(0));
});
