/**
 * What signing in with an OpenID Connect token costs on the hot path, against an API key: the
 * customer-list query on one server and one PostgreSQL database, the same workspace read by an
 * admin API key and by an ANALYST member's JWT (RS256, keys from a loopback provider), in
 * alternating rounds. Scale: BENCH_CUSTOMERS (default 20000), BENCH_ORDERS (default 200000).
 * Writes bench/RESULTS.md.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { pino } from 'pino';
import { createApp } from '../src/app.js';
import { loadConfigOrThrow } from '../src/config.js';
import { configureIdentityProvider } from '../src/core/auth/identity-provider.js';
import { inviteMember } from '../src/core/workspaces/members.js';
import { createWorkspaceWithAdminKey } from '../src/core/workspaces/workspace.service.js';
import { resolvePlugins } from '../src/plugins/plugin-config.js';
import { listen } from '../src/server.js';
import { writeSection } from './results-file.js';
import { alternatingRounds, comparisonRows, createScratchDatabase, CUSTOMER_LIST_QUERY, timeCustomerList } from './support.js';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 20_000);
const ORDERS = Number(process.env.BENCH_ORDERS ?? 200_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const PER_ROUND = Number(process.env.BENCH_REQUESTS ?? 100);
async function main() {
  const scratch = await createScratchDatabase('cx_bench_token_auth');
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'bench', alg: 'RS256', use: 'sig' };
  let jwksFetches = 0;
  const idp = createServer((request, response) => {
    if (request.url === '/jwks') jwksFetches += 1;
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(request.url === '/jwks' ? { keys: [jwk] } : { issuer, jwks_uri: `${issuer}/jwks` }));
  });
  await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
  const config = {
    ...loadConfigOrThrow({ NODE_ENV: 'production', LOG_LEVEL: 'silent', RATE_LIMIT_CAPACITY: '100000000', OIDC_ALLOW_LOOPBACK_HTTP: 'true' }),
    database: { kind: 'postgres' as const, url: scratch.url, poolSize: 10 },
  };
  const app = await createApp(config, resolvePlugins({}), pino({ level: 'silent' }), { firstWorkspace: false, jobs: false });
  try {
    const { workspace, adminKey } = await createWorkspaceWithAdminKey(app.database.prisma, { name: 'Bench' });
    const seedSql = (await readFile(new URL('./seed.sql', import.meta.url), 'utf8'))
      .replaceAll('__WS__', workspace.id)
      .replaceAll('__CUSTOMERS__', String(CUSTOMERS))
      .replaceAll('__ORDERS__', String(ORDERS));
    console.log(`seeding ${CUSTOMERS} customers, ${ORDERS} orders`);
    await app.database.sql.session((conn) => conn.exec(seedSql));
    await configureIdentityProvider(app.database.sql, workspace.id, { issuer, audience: 'cx-graph' }, true, new Date());
    await inviteMember(app.database.sql, workspace.id, 'OWNER', { email: 'analyst@bench.test', role: 'ANALYST', subject: 'bench-analyst' }, new Date());
    const token = await new SignJWT({ iss: issuer, aud: 'cx-graph', sub: 'bench-analyst' }).setProtectedHeader({ alg: 'RS256', kid: 'bench' }).setIssuedAt().setExpirationTime('2h').sign(privateKey);
    const server = await listen(app, { host: '127.0.0.1', port: 0, shutdownTimeoutMs: 1000 }, pino({ level: 'silent' }));
    const key = adminKey.plaintext;
    const rows: string[] = [];
    for (const n of [20, 100]) {
      await timeCustomerList(server.url, key, n, 30);
      await timeCustomerList(server.url, token, n, 30);
      const { a, b } = await alternatingRounds(
        ROUNDS,
        () => timeCustomerList(server.url, token, n, PER_ROUND),
        () => timeCustomerList(server.url, key, n, PER_ROUND),
      );
      rows.push(...comparisonRows(`customers(first: ${n})`, a, b));
    }
    // Verification alone: signature, claims and the member lookup, per sign-in.
    const iterations = 2_000;
    const start = performance.now();
    for (let i = 0; i < iterations; i += 1) await app.tokens.authenticate(token, null);
    const tokenMicros = ((performance.now() - start) / iterations) * 1000;
    const lines = [
      `## Cost of signing in with a token (${new Date().toISOString().slice(0, 10)})`,
      '',
      `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, PostgreSQL on loopback.`,
      `Data: ${CUSTOMERS.toLocaleString('en')} customers, ${ORDERS.toLocaleString('en')} orders. Query: the customer list with business unit and last 3 orders, the same workspace read with an ANALYST member's RS256 JWT and with an admin API key; ${ROUNDS} alternating rounds of ${PER_ROUND} sequential requests each, after 30 warm-up requests.`,
      '',
      '| measure | member token (JWT) | API key | ratio |',
      '| --- | --- | --- | --- |',
      ...rows,
      '',
      `Token verification alone (signature, exp/nbf/iss/aud, member lookup by subject): ${tokenMicros.toFixed(0)} µs per request (${iterations.toLocaleString('en')} runs). The provider's key set was fetched ${jwksFetches} time(s) in the whole run: keys are cached.`,
    ];
    await server.shutdown();
    await writeSection('token-auth', lines.join('\n'));
    console.log(lines.join('\n'));
  } finally {
    await app.close().catch(() => undefined);
    idp.close();
    await scratch.drop();
  }
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
