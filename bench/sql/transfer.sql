-- One wallet-to-wallet transfer with an Idempotency-Key, written exactly as the API writes it (see bench/README.md):
-- the key's claim, the two guarded wallet updates in ascending wallet order (as LedgerService), the transfer, its ledger transfer (one row
-- holds the debit and the credit account), its outbox event, the stored response, one commit.
-- (No colon before a letter or digit inside the literals: pgbench would read it as a variable, even there.)
-- Variables (pgbench -D): wallets (how many bench wallets), hot (1: every transfer pays wallet 1), platform.
\set a random(1 + :hot, :wallets)
\set b CASE WHEN :hot = 1 THEN 1 ELSE 1 + (:a + random(0, :wallets - 2)) % :wallets END
\set amt random(1, 100)
\set lo least(:a, :b)
\set hi greatest(:a, :b)
\set dlo CASE WHEN :a < :b THEN -:amt ELSE :amt END
\set dhi -:dlo
BEGIN;
INSERT INTO idempotency_records (scope, key, request_hash, method, path, status, effect_committed,
    created_at, locked_until, expires_at)
VALUES (:platform::text, 'anchor-' || gen_random_uuid(), '735c935be56fb1f8b1c67e7390ffe3bdf479b408bd4dc91dbd2b9323aaac9765',
    'POST', '/v1/transfers', 'IN_FLIGHT', false, now(), now() + interval '60 seconds', now() + interval '24 hours')
ON CONFLICT DO NOTHING RETURNING key AS ikey \gset
UPDATE wallets SET balance_minor = balance_minor + :dlo::bigint WHERE id = 'wal_bench_' || :lo::text AND balance_minor + :dlo::bigint >= 0;
UPDATE wallets SET balance_minor = balance_minor + :dhi::bigint WHERE id = 'wal_bench_' || :hi::text AND balance_minor + :dhi::bigint >= 0;
INSERT INTO wallet_transfers (id, amount_minor, batch_id, created_at, currency, description, from_wallet_id,
    platform_id, to_wallet_id)
VALUES ('tr_' || gen_random_uuid(), :amt::bigint, NULL, now(), 'EUR', NULL, 'wal_bench_' || :a::text, :platform::text, 'wal_bench_' || :b::text);
INSERT INTO ledger_transfers (id, amount_minor, created_at, credit_account, currency, debit_account, kind, order_id,
    platform_id, posting_sequence, reference)
VALUES ('ltr_' || gen_random_uuid(), :amt::bigint, now(), 'wallet' || chr(58) || 'wal_bench_' || :b::text, 'EUR', 'wallet' || chr(58) || 'wal_bench_' || :a::text,
    'WALLET_TRANSFER', NULL, :platform::text, nextval('ledger_posting_seq'), 'tr_bench');
INSERT INTO events (id, created_at, data, object_id, platform_id, type)
VALUES ('evt_' || gen_random_uuid(), now(),
    '{"id": "tr_06h3qqwy1dsx9tv08nfzze3bzw", "amount": 5, "object": "transfer", "batch_id": null, "currency": "EUR", "created_at": "2026-12-03T12h27m20.4588627+00h0", "description": null, "to_wallet_id": "wal_06h3qqws0rfs5w0rdhd92reznc", "from_wallet_id": "wal_06h3qqwry9n6926ret2e0rz868"}',
    'tr_bench', :platform::text, 'transfer.created');
UPDATE idempotency_records SET status = 'DONE', response_status = 201,
    response_content_type = 'application/json; charset=utf-8',
    response_body = convert_to('{"object": "transfer","id": "tr_06h3qqwy1dsx9tv08nfzze3bzw","from_wallet_id": "wal_06h3qqwry9n6926ret2e0rz868","to_wallet_id": "wal_06h3qqws0rfs5w0rdhd92reznc","amount": 5,"currency": "EUR","description": null,"batch_id": null,"created_at": "2026-12-03T12h27m20.4588627+00h0"}', 'UTF8'),
    effect_committed = true
WHERE scope = :platform::text AND key = :ikey::text;
END;
