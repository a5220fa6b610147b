#!/usr/bin/env python3
"""Load and verdict of the failover drill (deploy/failover-drill.sh runs it; it is not meant to be run alone).

Clients send wallet transfers and whole order lifecycles (create, card payin, accept, payout to the seller's wallet,
validate) through the API's load balancer, each POST with its own Idempotency-Key. A 503 (or a broken connection,
or 409 idempotency_request_in_flight) is retried after Retry-After with the same key and bytes, as a platform's
backend would. At --kill-after seconds the drill's kill command runs (SIGKILL of the primary PostgreSQL node).
Afterwards every request acknowledged with a 2xx must be in the database exactly once, validated orders released,
the ledger invariants and the reconciliation clean, and no answer may have been a 500.
"""
import argparse
import http.client
import json
import random
import subprocess
import sys
import threading
import time

import psycopg2

OPERATOR = None
CARD = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2040, "cvc": "123"}

# The ledger invariants of tests/Truust.Api.Tests/Infrastructure/LedgerInvariants.cs that this load can break.
INVARIANTS = {
    "wallet balance equals the sum of its transfers": """
        SELECT w.id FROM wallets w
        LEFT JOIN (SELECT credit_account a, sum(amount_minor) t FROM ledger_transfers GROUP BY 1) c
               ON c.a = 'wallet:' || w.id
        LEFT JOIN (SELECT debit_account a, sum(amount_minor) t FROM ledger_transfers GROUP BY 1) d
               ON d.a = 'wallet:' || w.id
        WHERE w.balance_minor <> coalesce(c.t, 0) - coalesce(d.t, 0)""",
    "the accounts of each currency sum to zero": """
        SELECT currency FROM (
            SELECT currency, amount_minor delta FROM ledger_transfers
            UNION ALL SELECT currency, -amount_minor FROM ledger_transfers) m
        GROUP BY currency HAVING sum(delta) <> 0""",
    "order held_minor equals its escrow balance": """
        SELECT o.id FROM orders o
        LEFT JOIN (SELECT credit_account a, sum(amount_minor) t FROM ledger_transfers GROUP BY 1) c
               ON c.a = 'escrow:' || o.id
        LEFT JOIN (SELECT debit_account a, sum(amount_minor) t FROM ledger_transfers GROUP BY 1) d
               ON d.a = 'escrow:' || o.id
        WHERE o.held_minor <> coalesce(c.t, 0) - coalesce(d.t, 0)""",
    "no wallet balance is negative": "SELECT id FROM wallets WHERE balance_minor < 0",
    "no money movement posted twice": """
        SELECT kind || ' ' || reference FROM ledger_transfers
        GROUP BY kind, reference, debit_account, credit_account HAVING count(*) > 1""",
}


class Api:
    """Sends one request until it has a final answer, and records every attempt's outcome and time."""

    def __init__(self, host, port, give_up_seconds):
        self.host, self.port, self.give_up = host, port, give_up_seconds
        self.attempts = []  # (sent_at, answered_at, outcome) with outcome 2xx, 4xx, 503, 5xx or conn
        self.lock = threading.Lock()

    def call(self, method, path, body, secret, key=None):
        data = None if body is None else json.dumps(body).encode()
        headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}
        if key:
            headers["Idempotency-Key"] = key
        deadline = time.monotonic() + self.give_up
        while True:
            sent = time.monotonic()
            try:
                conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
                conn.request(method, path, body=data, headers=headers)
                response = conn.getresponse()
                payload = response.read()
                status = response.status
                retry_after = response.getheader("Retry-After")
                conn.close()
            except (OSError, http.client.HTTPException):
                self._record(sent, "conn")
                if time.monotonic() > deadline:
                    return None, None
                time.sleep(0.2)
                continue
            outcome = "2xx" if status < 300 else "4xx" if status < 500 else "503" if status == 503 else "5xx"
            self._record(sent, outcome if outcome != "5xx" else f"{status}")
            text = payload.decode(errors="replace")
            in_flight = status == 409 and "idempotency_request_in_flight" in text
            if (status in (503, 429) or in_flight) and time.monotonic() < deadline:
                if status == 503 and not retry_after:
                    self._record(sent, "503 without Retry-After")
                time.sleep(min(float(retry_after or 1), 1.0))
                continue
            return status, (json.loads(text) if text.startswith("{") else text)

    def _record(self, sent, outcome):
        with self.lock:
            self.attempts.append((sent, time.monotonic(), outcome))


def post_ok(api, path, body, secret, key):
    status, answer = api.call("POST", path, body, secret, key)
    if status is None or status >= 300:
        raise RuntimeError(f"setup POST {path}: {status} {answer}")
    return answer


def set_up(api, wallets=6):
    platform = post_ok(api, "/v1/platforms", {"name": "Drill", "fee_percent_bp": 0, "fee_fixed": 0}, OPERATOR, "s-p")
    secret = platform["api_key"]["secret"]

    def customer(name):
        return post_ok(api, "/v1/customers", {"name": name, "email": f"{name}@example.com"}, secret, f"s-{name}")["id"]

    def wallet(owner):
        return post_ok(api, "/v1/wallets", {"customer_id": owner, "currency": "EUR"}, secret, f"s-w-{owner}")["id"]

    funded = []
    for i in range(wallets):
        w = wallet(customer(f"holder{i}"))
        topup = post_ok(api, f"/v1/wallets/{w}/topups", {"type": "ADDON", "amount": 50_000_000}, secret, f"s-t-{w}")
        post_ok(api, f"/v1/sandbox/payins/{topup['id']}/card", CARD, secret, f"s-c-{w}")
        funded.append(w)
    buyers = [customer(f"buyer{i}") for i in range(3)]
    sellers = [(s, wallet(s)) for s in (customer(f"seller{i}") for i in range(3))]
    return secret, funded, buyers, sellers


def client(api, number, world, journal, stop):
    secret, wallets, buyers, sellers = world
    rnd = random.Random(number)
    n = 0
    while not stop.is_set():
        n += 1
        key = f"c{number}-{n}"
        if n % 4:
            a, b = rnd.sample(wallets, 2)
            body = {"from_wallet_id": a, "to_wallet_id": b, "amount": rnd.randint(1, 999), "description": key}
            status, _ = api.call("POST", "/v1/transfers", body, secret, key)
            journal.append(("transfer", key, status))
            continue
        seller, seller_wallet = rnd.choice(sellers)
        order = {"name": key, "amount": rnd.randint(100, 99_999), "currency": "EUR",
                 "buyer_id": rnd.choice(buyers), "seller_id": seller}
        status, answer = api.call("POST", "/v1/orders", order, secret, key + "-create")
        journal.append(("order", key, status))
        if status != 201:
            continue
        oid = answer["id"]
        steps = [
            ("/v1/payins", {"order_id": oid, "type": "ADDON"}),
            (None, CARD),
            (f"/v1/orders/{oid}/accept", {}),
            ("/v1/payouts", {"order_id": oid, "type": "WALLET", "wallet_id": seller_wallet}),
            (f"/v1/orders/{oid}/validate", {}),
        ]
        payin = None
        for i, (path, body) in enumerate(steps):
            status, answer = api.call("POST", path or f"/v1/sandbox/payins/{payin}/card", body, secret, f"{key}-{i}")
            if status is None or status >= 300:
                journal.append(("lifecycle broken", key, status))
                break
            payin = payin or answer.get("id")
        else:
            journal.append(("validated", oid, 200))


def verdict(api, journal, database, kill_at, died_at, started):
    failures = []
    acknowledged = [(kind, key) for kind, key, status in journal if status is not None and 200 <= status < 300]
    conn = psycopg2.connect(database)
    conn.autocommit = True
    cur = conn.cursor()
    lost = duplicated = 0
    for kind, key in acknowledged:
        if kind == "transfer":
            cur.execute("SELECT count(*) FROM wallet_transfers WHERE description = %s", (key,))
        elif kind == "order":
            cur.execute("SELECT count(*) FROM orders WHERE name = %s", (key,))
        else:
            continue
        count = cur.fetchone()[0]
        if count == 0:
            lost += 1
            failures.append(f"acknowledged {kind} {key} is missing")
        elif count > 1:
            duplicated += 1
            failures.append(f"acknowledged {kind} {key} applied {count} times")
    # Requests whose client gave up (no final answer) may have applied once, never twice.
    for kind, key, status in journal:
        if status is None and kind == "transfer":
            cur.execute("SELECT count(*) FROM wallet_transfers WHERE description = %s", (key,))
            if cur.fetchone()[0] > 1:
                failures.append(f"unanswered transfer {key} applied twice")
    validated = [key for kind, key, status in journal if kind == "validated"]
    deadline = time.monotonic() + 60
    while True:
        cur.execute("SELECT count(*) FROM orders WHERE id = ANY(%s) AND status <> 'RELEASED'", (validated,))
        unreleased = cur.fetchone()[0]
        if unreleased == 0 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    if unreleased:
        failures.append(f"{unreleased} validated orders never released")
    for name, sql in INVARIANTS.items():
        cur.execute(sql)
        rows = cur.fetchall()
        if rows:
            failures.append(f"invariant broken: {name}: {rows[:3]}")
    status, report = api.call("GET", "/v1/reconciliation", None, OPERATOR)
    mismatches = report.get("mismatches") if isinstance(report, dict) else None
    if status != 200 or mismatches:
        failures.append(f"reconciliation {status}: {mismatches}")

    # What the load wrote, for docs/scaling.md's growth estimates (rows per table).
    tables = ["ledger_transfers", "events", "order_status_changes", "idempotency_records", "wallet_transfers", "orders"]
    counts = {}
    for table in tables:
        cur.execute(f"SELECT count(*) FROM {table}")
        counts[table] = cur.fetchone()[0]
    print("drill: rows written: " + ", ".join(f"{t} {c}" for t, c in counts.items()))

    outcomes = {}
    for _, _, outcome in api.attempts:
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    bad = {o: c for o, c in outcomes.items() if o not in ("2xx", "4xx", "503", "conn")}
    if bad:
        failures.append(f"answers other than 2xx, 4xx and 503: {bad}")
    # The window: from the first failed attempt after the kill to the answer of the first success sent after the
    # last failed one.
    failed = [a for a in api.attempts if a[2] in ("503", "conn") and a[0] >= kill_at - 0.5]
    if failed:
        first, last = min(a[0] for a in failed), max(a[0] for a in failed)
        recovered = min((a[1] for a in api.attempts if a[2] == "2xx" and a[0] > last), default=last)
        window = recovered - first
    else:
        window = 0.0
    print(f"drill: load {time.monotonic() - started:.1f} s, {len(api.attempts)} attempts: {outcomes}")
    print(f"drill: primary killed at +{kill_at - started:.1f} s; new primary promoted after {died_at:.1f} s")
    print(f"drill: unavailability window {window:.1f} s (503 + Retry-After meanwhile: {outcomes.get('503', 0)}, "
          f"refused connections: {outcomes.get('conn', 0)}, 500s: {sum(bad.values())})")
    transfers = sum(1 for k, _ in acknowledged if k == "transfer")
    print(f"drill: acknowledged {len(acknowledged)} requests ({transfers} transfers, "
          f"{len(acknowledged) - transfers} orders), {len(validated)} lifecycles validated and released")
    print(f"drill: acknowledged requests lost: {lost}, applied twice: {duplicated}")
    print(f"drill: ledger invariants and reconciliation: {'clean' if not failures else 'VIOLATED'}")
    for failure in failures[:20]:
        print(f"drill: FAIL {failure}")
    return not failures


def main():
    global OPERATOR
    parser = argparse.ArgumentParser()
    parser.add_argument("--api", required=True, help="host:port of the API load balancer")
    parser.add_argument("--database", required=True, help="libpq connection string through the database balancer")
    parser.add_argument("--operator-key", required=True)
    parser.add_argument("--kill-command", required=True)
    parser.add_argument("--primary-check", required=True, help="prints the new primary's name once promoted")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--kill-after", type=float, default=10)
    parser.add_argument("--after-recovery", type=float, default=8)
    args = parser.parse_args()
    OPERATOR = args.operator_key
    host, port = args.api.split(":")
    api = Api(host, int(port), give_up_seconds=90)
    world = set_up(api)
    journal, stop = [], threading.Event()
    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(api, i, world, journal, stop)) for i in range(args.clients)]
    for t in threads:
        t.start()
    time.sleep(args.kill_after)
    kill_at = time.monotonic()
    subprocess.run(args.kill_command, shell=True, check=True)
    print(f"drill: SIGKILL sent to the primary node at +{kill_at - started:.1f} s", flush=True)
    promoted = None
    while time.monotonic() - kill_at < 90:
        out = subprocess.run(args.primary_check, shell=True, capture_output=True, text=True).stdout.strip()
        if out:
            promoted = time.monotonic() - kill_at
            print(f"drill: {out} is primary {promoted:.1f} s after the kill", flush=True)
            break
        time.sleep(0.2)
    if promoted is None:
        print("drill: FAIL no standby was promoted within 90 s")
        stop.set()
        return 1
    time.sleep(args.after_recovery)
    stop.set()
    for t in threads:
        t.join(120)
    return 0 if verdict(api, journal, args.database, kill_at, promoted, started) else 1


if __name__ == "__main__":
    sys.exit(main())
