-- Seeds orders straight into the database for the dashboard benchmark (bench/README.md) and for the browser test
-- that lists 10,000 orders. For listing only: no payin, no ledger transfer, nothing held in escrow, so the ledger
-- invariants are untouched. Every status, 200 customers, a metadata reference per order, one order every 10 s
-- going back from now; their ids sort by creation time among themselves (and after every real id).
--
-- Parameters are session settings, so psql and Npgsql run the same text:
--   SET truust.seed_platform = 'plt_...';   -- an existing platform
--   SET truust.seed_count = '10000';
SELECT set_config('truust.seed_run', substr(md5(random()::text || clock_timestamp()::text), 1, 8), false);

INSERT INTO customers (id, platform_id, name, email, type, metadata, created_at, updated_at)
SELECT 'cus_seed' || current_setting('truust.seed_run') || lpad(i::text, 4, '0'),
       current_setting('truust.seed_platform'),
       (ARRAY['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken'])[1 + i % 8] || ' Seed ' || i,
       'seed' || i || '.' || current_setting('truust.seed_run') || '@bench.test',
       'PERSON', '{}'::jsonb, now(), now()
FROM generate_series(1, 200) AS i;

INSERT INTO orders (id, platform_id, name, amount_minor, currency, buyer_id, seller_id, status, held_minor,
                    refunded_minor, metadata, buyer_token, seller_token, created_at, updated_at)
SELECT 'ord_s' || to_char(created_at AT TIME ZONE 'UTC', 'YYYYMMDDHH24MISSMS') || lpad(i::text, 7, '0')
           || current_setting('truust.seed_run'),
       current_setting('truust.seed_platform'),
       'Seeded order ' || i || ' ' || (ARRAY['bike', 'lamp', 'sofa', 'guitar', 'camera', 'tent', 'desk'])[1 + i % 7],
       100 + (i * 7919) % 500000,
       'EUR',
       'cus_seed' || current_setting('truust.seed_run') || lpad((1 + i % 200)::text, 4, '0'),
       'cus_seed' || current_setting('truust.seed_run') || lpad((1 + (i + 7) % 200)::text, 4, '0'),
       (ARRAY['DRAFT', 'PENDING_PUBLISH', 'FAILURE', 'PUBLISHED', 'CANCELLED', 'ACCEPTED', 'REJECTED',
              'PENDING_VALIDATE', 'PENDING_RELEASE', 'BLOCKED_RELEASE', 'RELEASED'])[1 + i % 11],
       0, 0,
       jsonb_build_object('ref', 'INV-' || current_setting('truust.seed_run') || '-' || i),
       md5(current_setting('truust.seed_run') || 'buyer' || i),
       md5(current_setting('truust.seed_run') || 'seller' || i),
       created_at, created_at
FROM (SELECT i, now() - (current_setting('truust.seed_count')::int - i) * interval '10 seconds' AS created_at
      FROM generate_series(1, current_setting('truust.seed_count')::int) AS i) AS seeded;

ANALYZE customers;
ANALYZE orders;
