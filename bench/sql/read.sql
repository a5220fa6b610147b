-- What GET /v1/wallets/{id} reads: one wallet of the caller's platform by id.
\set a random(1, :wallets)
SELECT id, balance_minor, created_at, currency, customer_id, kind, platform_id
FROM wallets WHERE id = 'wal_bench_' || :a::text AND platform_id = :platform::text;
