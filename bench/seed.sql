-- Deterministic data for the customer-list benchmark. $1-like placeholders are replaced by the runner.
INSERT INTO "BusinessUnit" ("workspaceId", "externalId", name)
SELECT '__WS__'::uuid, 'bu-' || i, 'Shop ' || i FROM generate_series(1, 10) AS i;

INSERT INTO "Customer" ("workspaceId", "externalId", "businessUnitId", "firstName", "lastName", email, country, "customerSince", "createdAt")
SELECT '__WS__'::uuid, 'c-' || i,
       (SELECT id FROM "BusinessUnit" WHERE "workspaceId" = '__WS__'::uuid AND "externalId" = 'bu-' || (1 + i % 10)),
       'First' || i, 'Last' || (i % 997), 'c' || i || '@example.nl', CASE WHEN i % 3 = 0 THEN 'BE' ELSE 'NL' END,
       timestamp '2020-01-01' + (i || ' minutes')::interval, timestamp '2020-01-01' + (i || ' minutes')::interval
FROM generate_series(1, __CUSTOMERS__) AS i;

INSERT INTO "Order" ("workspaceId", "externalId", "customerId", amount, currency, "orderedAt", channel)
SELECT '__WS__'::uuid, 'o-' || g, c.id, ((g * 7919) % 50000) / 100.0 + 5, 'EUR',
       timestamp '2023-01-01' + ((g * 104729) % 1000 || ' days')::interval, 'webshop'
FROM generate_series(1::bigint, __ORDERS__::bigint) AS g
JOIN "Customer" c ON c."workspaceId" = '__WS__'::uuid AND c."externalId" = 'c-' || (1 + (g * 31) % __CUSTOMERS__);

ANALYZE;
