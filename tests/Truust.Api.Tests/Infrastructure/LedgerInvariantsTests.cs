using Npgsql;
using Truust.Domain;

namespace Truust.Api.Tests.Infrastructure;

/// <summary>
/// The invariant checker must catch what it claims to catch, or every test relying on it passes for nothing. Each
/// test writes a small ledger with SQL into a database of its own (corrupting a shared one would fail other tests).
/// </summary>
public sealed class LedgerInvariantsTests : IAsyncLifetime
{
    private string? _database;

    private const string Seed = """
        INSERT INTO platforms (id, name, fee_percent_bp, fee_fixed_minor, created_at)
            VALUES ('plt_1', 'P', 0, 0, now());
        INSERT INTO customers (id, platform_id, name, email, type, metadata, created_at, updated_at)
            VALUES ('cus_buyer', 'plt_1', 'Buyer', 'b@example.com', 'PERSON', '{}', now(), now()),
                   ('cus_seller', 'plt_1', 'Seller', 's@example.com', 'PERSON', '{}', now(), now());
        INSERT INTO wallets (id, platform_id, customer_id, currency, kind, balance_minor, created_at)
            VALUES ('wal_1', 'plt_1', 'cus_buyer', 'EUR', 'CUSTOMER', 1000, now());
        INSERT INTO ledger_transfers (id, platform_id, debit_account, credit_account, amount_minor, currency, kind,
                                      reference, order_id, created_at)
            VALUES ('ltr_1', 'plt_1', 'world:card', 'wallet:wal_1', 1000, 'EUR', 'TOPUP', 'pay_1', NULL, now());
        """;

    [Fact]
    public async Task A_consistent_ledger_has_no_violations()
    {
        var database = await SeededDatabaseAsync();
        await InsertOrderAsync(database, "ord_1", "PUBLISHED", heldMinor: 500, escrowMinor: 500);

        Assert.Empty(await LedgerInvariants.FindViolationsAsync(database));
        await LedgerInvariants.AssertAsync(database);
    }

    [Fact]
    public async Task A_wallet_balance_that_drifted_from_its_transfers_is_reported()
    {
        var database = await SeededDatabaseAsync();
        await ExecuteAsync(database, "UPDATE wallets SET balance_minor = 999 WHERE id = 'wal_1'");

        var violation = Assert.Single(await LedgerInvariants.FindViolationsAsync(database));
        Assert.Equal(
            "wallet balance equals the sum of its transfers: wal_1: balance_minor 999, transfers say 1000",
            violation
        );
        await Assert.ThrowsAnyAsync<Xunit.Sdk.XunitException>(() => LedgerInvariants.AssertAsync(database));
    }

    [Fact]
    public async Task A_wallet_balance_counts_its_credit_shards_and_a_shard_that_drifted_is_reported()
    {
        var database = await SeededDatabaseAsync();
        // 1000 held as 600 on the row and 400 over two sub-accounts: consistent.
        await ExecuteAsync(
            database,
            """
            UPDATE wallets SET balance_minor = 600 WHERE id = 'wal_1';
            INSERT INTO wallet_credit_shards (wallet_id, shard, amount_minor)
                VALUES ('wal_1', 3, 300), ('wal_1', 9, 100);
            """
        );
        Assert.Empty(await LedgerInvariants.FindViolationsAsync(database));

        await ExecuteAsync(database, "UPDATE wallet_credit_shards SET amount_minor = 101 WHERE shard = 9");

        var violation = Assert.Single(await LedgerInvariants.FindViolationsAsync(database));
        Assert.Equal(
            "wallet balance equals the sum of its transfers: wal_1: balance_minor 600 + shards 401, transfers say 1000",
            violation
        );
    }

    [Fact]
    public async Task An_order_whose_held_amount_differs_from_its_escrow_is_reported()
    {
        var database = await SeededDatabaseAsync();
        // held = amount - refunded, so only the escrow check has something to say.
        await InsertOrderAsync(database, "ord_1", "PUBLISHED", heldMinor: 400, escrowMinor: 500, refundedMinor: 100);

        var violation = Assert.Single(await LedgerInvariants.FindViolationsAsync(database));
        Assert.Equal(
            "order held_minor equals its escrow balance: ord_1 (PUBLISHED): held_minor 400, escrow holds 500",
            violation
        );
    }

    [Theory]
    [InlineData("RELEASED")]
    [InlineData("CANCELLED")]
    [InlineData("DRAFT")]
    [InlineData("PENDING_PUBLISH")]
    [InlineData("FAILURE")]
    public async Task An_order_holding_money_in_a_status_that_holds_none_is_reported(string status)
    {
        var database = await SeededDatabaseAsync();
        await InsertOrderAsync(database, "ord_1", status, heldMinor: 500, escrowMinor: 500);

        var violation = Assert.Single(await LedgerInvariants.FindViolationsAsync(database));
        Assert.Equal(
            $"orders that hold nothing by their status hold nothing: ord_1 ({status}): held_minor 500",
            violation
        );
    }

    [Theory]
    [InlineData("PUBLISHED")]
    [InlineData("ACCEPTED")]
    [InlineData("REJECTED")]
    [InlineData("PENDING_VALIDATE")]
    [InlineData("PENDING_RELEASE")]
    [InlineData("BLOCKED_RELEASE")]
    public async Task An_order_holding_less_than_its_amount_less_refunds_in_a_status_that_holds_funds_is_reported(
        string status
    )
    {
        var database = await SeededDatabaseAsync();
        // Escrow and held_minor agree with each other, but 100 of the 500 paid in is unaccounted for.
        await InsertOrderAsync(database, "ord_1", status, heldMinor: 300, escrowMinor: 300, refundedMinor: 100);

        var violation = Assert.Single(await LedgerInvariants.FindViolationsAsync(database));
        Assert.Equal(
            "orders that hold funds by their status hold the amount less refunds and releases: "
                + $"ord_1 ({status}): held_minor 300, amount_minor 500 less refunded_minor 100 and released_minor 0",
            violation
        );
    }

    [Fact]
    public async Task A_rejected_order_refunded_in_part_holds_the_rest_and_passes()
    {
        var database = await SeededDatabaseAsync();
        await InsertOrderAsync(database, "ord_1", "REJECTED", heldMinor: 400, escrowMinor: 400, refundedMinor: 100);

        Assert.Empty(await LedgerInvariants.FindViolationsAsync(database));
    }

    [Fact]
    public void The_invariants_sort_every_order_status_the_way_the_domain_does()
    {
        var statuses = Enum.GetValues<Domain.Orders.OrderStatus>();

        Assert.Equal(
            statuses.Where(Domain.Orders.OrderTransitions.HoldsFunds).Select(WireName.Of).Order(),
            LedgerInvariants.StatusesHoldingFunds.Order()
        );
        Assert.Equal(
            statuses.Select(WireName.Of).Order(),
            LedgerInvariants.StatusesHoldingFunds.Concat(LedgerInvariants.StatusesHoldingNothing).Order()
        );
    }

    [Fact]
    public void The_invariants_count_every_campaign_status_that_takes_no_contributions_as_holding_nothing()
    {
        var statuses = Enum.GetValues<Domain.Campaigns.CampaignStatus>();

        Assert.Equal(
            statuses
                .Where(s => !Domain.Campaigns.CampaignTransitions.AcceptsContributions(s))
                .Select(WireName.Of)
                .Order(),
            LedgerInvariants.CampaignStatusesHoldingNothing.Order()
        );
    }

    [Fact]
    public async Task A_campaign_whose_raised_amount_differs_from_its_escrow_is_reported()
    {
        var database = await SeededDatabaseAsync();
        await InsertCampaignAsync(database, "cmp_1", "OPEN", raisedMinor: 700, escrowMinor: 500);
        await InsertCampaignAsync(database, "cmp_2", "FUNDED", raisedMinor: 900, escrowMinor: 900);

        var violation = Assert.Single(await LedgerInvariants.FindViolationsAsync(database));
        Assert.Equal(
            "campaign raised_minor equals its escrow balance: cmp_1 (OPEN): raised_minor 700, escrow holds 500",
            violation
        );
    }

    [Theory]
    [InlineData("SUCCEEDED")]
    [InlineData("FAILED")]
    [InlineData("CANCELLED")]
    [InlineData("REPAYING")]
    [InlineData("REPAID")]
    [InlineData("DEFAULTED")]
    public async Task A_campaign_holding_money_in_a_status_that_holds_none_is_reported(string status)
    {
        var database = await SeededDatabaseAsync();
        await InsertCampaignAsync(database, "cmp_1", status, raisedMinor: 500, escrowMinor: 500);

        var violation = Assert.Single(await LedgerInvariants.FindViolationsAsync(database));
        Assert.Equal(
            $"campaigns that hold nothing by their status hold nothing: cmp_1 ({status}): raised_minor 500",
            violation
        );
    }

    [Fact]
    public async Task A_transfer_to_a_wallet_that_does_not_exist_is_reported()
    {
        var database = await SeededDatabaseAsync();
        await ExecuteAsync(
            database,
            """
            INSERT INTO ledger_transfers (id, platform_id, debit_account, credit_account, amount_minor, currency, kind,
                                          reference, order_id, created_at)
                VALUES ('ltr_2', 'plt_1', 'world:card', 'wallet:wal_ghost', 5, 'EUR', 'TOPUP', 'pay_2', NULL, now())
            """
        );

        var violation = Assert.Single(await LedgerInvariants.FindViolationsAsync(database));
        Assert.Equal(
            "every wallet account is an existing wallet in its currency: ltr_2: wallet:wal_ghost in EUR "
                + "(no such wallet)",
            violation
        );
    }

    [Fact]
    public async Task The_database_refuses_a_negative_wallet_balance()
    {
        var database = await SeededDatabaseAsync();

        var error = await Assert.ThrowsAsync<PostgresException>(() =>
            ExecuteAsync(database, "UPDATE wallets SET balance_minor = -1 WHERE id = 'wal_1'")
        );
        Assert.Equal(PostgresErrorCodes.CheckViolation, error.SqlState);
        Assert.Equal("ck_wallets_balance_non_negative", error.ConstraintName);
    }

    [Theory]
    [InlineData("UPDATE ledger_transfers SET amount_minor = 1 WHERE id = 'ltr_1'")]
    [InlineData("DELETE FROM ledger_transfers WHERE id = 'ltr_1'")]
    public async Task The_database_refuses_to_rewrite_ledger_history(string sql)
    {
        var database = await SeededDatabaseAsync();

        var error = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(database, sql));
        Assert.Contains("append-only", error.MessageText);
        Assert.Empty(await LedgerInvariants.FindViolationsAsync(database));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await (await TestDatabaseServer.GetAsync()).ReleaseDatabaseAsync(_database);
        }
    }

    private async Task<string> SeededDatabaseAsync()
    {
        _database = await (await TestDatabaseServer.GetAsync()).CreateDatabaseAsync();
        await ExecuteAsync(_database, Seed);
        return _database;
    }

    private static async Task InsertOrderAsync(
        string database,
        string id,
        string status,
        long heldMinor,
        long escrowMinor,
        long refundedMinor = 0
    )
    {
        await ExecuteAsync(
            database,
            $$"""
            INSERT INTO orders (id, platform_id, name, amount_minor, currency, buyer_id, seller_id, status, held_minor,
                                refunded_minor, metadata, buyer_token, seller_token, created_at, updated_at)
                VALUES ('{{id}}', 'plt_1', 'Bike', 500, 'EUR', 'cus_buyer', 'cus_seller', '{{status}}',
                        {{heldMinor}}, {{refundedMinor}}, '{}', 'bt_{{id}}', 'st_{{id}}', now(), now());
            INSERT INTO ledger_transfers (id, platform_id, debit_account, credit_account, amount_minor, currency, kind,
                                          reference, order_id, created_at)
                VALUES ('ltr_{{id}}', 'plt_1', 'world:card', 'escrow:{{id}}', {{escrowMinor}}, 'EUR', 'PAYIN',
                        'pay_{{id}}', '{{id}}', now());
            """
        );
    }

    private static async Task InsertCampaignAsync(
        string database,
        string id,
        string status,
        long raisedMinor,
        long escrowMinor
    )
    {
        await ExecuteAsync(
            database,
            $$"""
            INSERT INTO campaigns (id, platform_id, name, kind, mode, owner_id, target_minor, currency, deadline,
                                   raised_minor, pending_minor, status, created_at, updated_at)
                VALUES ('{{id}}', 'plt_1', 'Roofs', 'REWARD', 'ALL_OR_NOTHING', 'cus_seller', 1000, 'EUR',
                        now() + interval '7 days', {{raisedMinor}}, 0, '{{status}}', now(), now());
            INSERT INTO ledger_transfers (id, platform_id, debit_account, credit_account, amount_minor, currency, kind,
                                          reference, order_id, created_at)
                VALUES ('ltr_{{id}}', 'plt_1', 'world:card', 'escrow:{{id}}', {{escrowMinor}}, 'EUR', 'CONTRIBUTION',
                        'pay_{{id}}', NULL, now());
            """
        );
    }

    private static async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
