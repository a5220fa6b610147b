using System.Net;
using Truust.Api.Http;
using Truust.Api.Orders;
using Truust.Api.Payins;
using Truust.Api.Sandbox;
using Truust.Api.Tests.Infrastructure;
using Truust.Api.Wallets;
using Truust.Domain.Ledger;
using Truust.Domain.Orders;
using Truust.Domain.Payments;

namespace Truust.Api.Tests.Wallets;

/// <summary>The four flows of the Truust guide, withdrawals and wallet history, each proved on the ledger.</summary>
public sealed class WalletFlowTests(TruustApiFactory factory) : IClassFixture<TruustApiFactory>
{
    /// <summary>An IBAN the simulated bank refuses up front (account closed).</summary>
    private const string RefusedIban = "DE31370400440000000666";

    [Fact]
    public async Task Payin_to_wallet_pays_an_order_by_card_and_releases_it_to_the_sellers_wallet_minus_the_fee()
    {
        using var client = await factory.CreatePlatformAsync(feePercentBp: 250);
        var parties = await client.CreatePartiesAsync();
        var order = await client.CreateOrderAsync(parties, 10_000);
        Assert.Equal(250, order.FeeAmount);

        var payin = await client.PayOrderByCardAsync(order.Id);
        var paid = await client.GetJsonAsync<OrderResponse>($"/v1/orders/{order.Id}");
        Assert.Equal((OrderStatus.Published, 10_000L), (paid.Status, paid.Held));
        Assert.Equal(0, await client.FeeBalanceAsync());

        var released = await client.ReleaseToWalletAsync(order.Id, parties.SellerWallet.Id);

        Assert.Equal(0, released.Held);
        Assert.Equal(9_750, await client.BalanceAsync(parties.SellerWallet.Id));
        Assert.Equal(250, await client.FeeBalanceAsync());
        Assert.Equal(0, await client.BalanceAsync(parties.BuyerWallet.Id));
        var feeWallet = (await client.FeeWalletAsync())!;
        var trail = (await client.GetJsonAsync<Page<LedgerTransferResponse>>($"/v1/orders/{order.Id}/ledger")).Data;
        Assert.Equal(
            [
                (TransferKind.Payin, LedgerAccounts.CardRail, LedgerAccounts.Escrow(order.Id), 10_000L, payin.Id),
                (
                    TransferKind.Release,
                    LedgerAccounts.Escrow(order.Id),
                    LedgerAccounts.Wallet(parties.SellerWallet.Id),
                    9_750L,
                    released.PayoutId!
                ),
                (
                    TransferKind.Fee,
                    LedgerAccounts.Escrow(order.Id),
                    LedgerAccounts.Wallet(feeWallet.Id),
                    250L,
                    released.PayoutId!
                ),
            ],
            trail
                .OrderByDescending(t => t.Amount)
                .Select(t => (t.Kind, t.DebitAccount, t.CreditAccount, t.Amount, t.Reference))
        );
        var payout = await client.GetJsonAsync<PayoutResponse>($"/v1/payouts/{released.PayoutId}");
        Assert.Equal((PayoutStatus.Paid, 9_750L), (payout.Status, payout.Amount));
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task Payin_from_wallet_pays_an_order_from_the_buyers_wallet_and_pays_it_out_to_a_bank_account()
    {
        using var client = await factory.CreatePlatformAsync();
        var parties = await client.CreatePartiesAsync();
        await client.TopUpByCardAsync(parties.BuyerWallet.Id, 15_000);
        var account = await client.CreateBankAccountAsync(parties.Seller.Id, TestIbans.Germany);
        var order = await client.CreateOrderAsync(parties, 10_000);

        var payin = await (
            await client.PostJsonAsync(
                "/v1/payins",
                new
                {
                    order_id = order.Id,
                    type = "WALLET",
                    wallet_id = parties.BuyerWallet.Id,
                }
            )
        ).ReadAsync<PayinResponse>(HttpStatusCode.Created);

        Assert.Equal((PayinType.Wallet, PayinStatus.Succeeded), (payin.Type, payin.Status));
        Assert.Equal(5_000, await client.BalanceAsync(parties.BuyerWallet.Id));
        var published = await client.GetJsonAsync<OrderResponse>($"/v1/orders/{order.Id}");
        Assert.Equal((OrderStatus.Published, 10_000L), (published.Status, published.Held));

        await client.ActAsync(order.Id, "accept");
        var payout = await (
            await client.PostJsonAsync(
                "/v1/payouts",
                new
                {
                    order_id = order.Id,
                    type = "ACCOUNT",
                    bankaccount_id = account.Id,
                }
            )
        ).ReadAsync<PayoutResponse>(HttpStatusCode.Created);
        await client.ActAsync(order.Id, "validate");
        var released = await client.WaitForOrderAsync(order.Id, OrderStatus.Released);

        Assert.Equal(0, released.Held);
        var inTransit = await client.GetJsonAsync<PayoutResponse>($"/v1/payouts/{payout.Id}");
        Assert.Equal(
            (PayoutStatus.InTransit, 10_000L, account.Id),
            (inTransit.Status, inTransit.Amount, inTransit.BankaccountId)
        );
        var settled = await (
            await client.PostJsonAsync($"/v1/sandbox/payouts/{payout.Id}/settle", new { })
        ).ReadAsync<PayoutResponse>();
        Assert.Equal(PayoutStatus.Paid, settled.Status);
        Assert.Equal(5_000, await client.BalanceAsync(parties.BuyerWallet.Id));
        Assert.Equal(0, await client.BalanceAsync(parties.SellerWallet.Id));
        var trail = (await client.GetJsonAsync<Page<LedgerTransferResponse>>($"/v1/orders/{order.Id}/ledger")).Data;
        Assert.Equal(
            [
                (TransferKind.Payin, LedgerAccounts.Wallet(parties.BuyerWallet.Id), 10_000L),
                (TransferKind.Release, LedgerAccounts.BankPayoutRail, 10_000L),
            ],
            trail
                .OrderBy(t => t.Kind)
                .Select(t => (t.Kind, t.Kind == TransferKind.Payin ? t.DebitAccount : t.CreditAccount, t.Amount))
        );
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task Wallet_top_up_by_card_credits_the_wallet_only_once_the_card_payment_is_confirmed()
    {
        using var client = await factory.CreatePlatformAsync();
        var wallet = await client.CreateFundedWalletAsync(0);

        var topup = await client.StartTopUpAsync(wallet.Id, "ADDON", 5_000);

        Assert.Equal(
            (PayinPurpose.Topup, PayinType.Addon, PayinStatus.Pending, 5_000L, wallet.Id),
            (topup.Purpose, topup.Type, topup.Status, topup.Amount, topup.WalletId)
        );
        Assert.Contains("/pay/", topup.DirectLink);
        Assert.Equal(0, await client.BalanceAsync(wallet.Id));

        var paid = await client.PayByCardAsync(topup.Id);

        Assert.Equal(PayinStatus.Succeeded, paid.Status);
        Assert.Equal(("visa", "4242"), (paid.Card!.Brand, paid.Card.Last4));
        Assert.Equal(5_000, await client.BalanceAsync(wallet.Id));
        var history = await client.HistoryAsync(wallet.Id);
        var credit = Assert.Single(history.Data);
        Assert.Equal(
            (TransferKind.Topup, "CREDIT", 5_000L, LedgerAccounts.CardRail, topup.Id, 5_000L),
            (credit.Kind, credit.Direction, credit.Amount, credit.Counterpart, credit.Reference, credit.BalanceAfter)
        );
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task Wallet_top_up_by_wire_credits_the_wallet_when_a_wire_with_its_reference_and_amount_arrives()
    {
        using var client = await factory.CreatePlatformAsync();
        var wallet = await client.CreateFundedWalletAsync(0);

        var topup = await client.StartTopUpAsync(wallet.Id, "BANKWIRE", 20_000);
        var instructions = topup.Bankwire!;
        Assert.Equal((20_000L, "EUR"), (instructions.Amount, instructions.Currency));
        Assert.StartsWith("TRU-", instructions.Reference);

        var shortWire = await (
            await client.PostJsonAsync(
                "/v1/sandbox/bankwires",
                new
                {
                    reference = instructions.Reference,
                    amount = 19_999,
                    currency = "EUR",
                    sender_iban = TestIbans.France,
                }
            )
        ).ReadAsync<IncomingWireResponse>(HttpStatusCode.Created);
        Assert.Equal("AMOUNT_MISMATCH", shortWire.Status);
        Assert.Equal(0, await client.BalanceAsync(wallet.Id));

        var wire = await (
            await client.PostJsonAsync(
                "/v1/sandbox/bankwires",
                new
                {
                    reference = instructions.Reference.ToLowerInvariant(),
                    amount = 20_000,
                    currency = "EUR",
                    sender_iban = TestIbans.France,
                }
            )
        ).ReadAsync<IncomingWireResponse>(HttpStatusCode.Created);

        Assert.Equal(("MATCHED", topup.Id), (wire.Status, wire.PayinId));
        Assert.Equal(20_000, await client.BalanceAsync(wallet.Id));
        var confirmed = await client.GetJsonAsync<PayinResponse>($"/v1/payins/{topup.Id}");
        Assert.Equal(PayinStatus.Succeeded, confirmed.Status);
        var history = await client.HistoryAsync(wallet.Id);
        Assert.Equal(
            (TransferKind.Topup, LedgerAccounts.BankwireRail, 20_000L),
            (history.Data[0].Kind, history.Data[0].Counterpart, history.Data[0].BalanceAfter)
        );
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task Wallet_to_wallet_moves_money_at_once_and_refuses_overdrafts_currencies_and_foreign_wallets()
    {
        using var client = await factory.CreatePlatformAsync();
        var from = await client.CreateFundedWalletAsync(10_000, "Ada");
        var to = await client.CreateFundedWalletAsync(0, "Grace");

        var response = await client.PostJsonAsync(
            "/v1/transfers",
            new
            {
                from_wallet_id = from.Id,
                to_wallet_id = to.Id,
                amount = 2_500,
                description = "rent share",
            }
        );
        var transfer = await response.ReadAsync<TransferResponse>(HttpStatusCode.Created);

        Assert.Equal(
            (from.Id, to.Id, 2_500L, "EUR", "rent share", (string?)null),
            (
                transfer.FromWalletId,
                transfer.ToWalletId,
                transfer.Amount,
                transfer.Currency,
                transfer.Description,
                transfer.BatchId
            )
        );
        Assert.Equal((7_500L, 2_500L), (await client.BalanceAsync(from.Id), await client.BalanceAsync(to.Id)));
        Assert.Equal(
            1,
            await factory.CountAsync("events", $"type = 'transfer.created' AND object_id = '{transfer.Id}'")
        );

        var overdraft = await factory.AssertUnchangedAsync(async () =>
            await (
                await client.PostJsonAsync(
                    "/v1/transfers",
                    new
                    {
                        from_wallet_id = from.Id,
                        to_wallet_id = to.Id,
                        amount = 7_501,
                    }
                )
            ).ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "insufficient_funds")
        );
        Assert.Contains(from.Id, overdraft.Detail);

        var dollars = await client.CreateWalletAsync(to.CustomerId!, "USD");
        await factory.AssertUnchangedAsync(async () =>
            await (
                await client.PostJsonAsync(
                    "/v1/transfers",
                    new
                    {
                        from_wallet_id = from.Id,
                        to_wallet_id = dollars.Id,
                        amount = 100,
                    }
                )
            ).ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "currency_mismatch")
        );

        using var other = await factory.CreatePlatformAsync();
        var foreign = await other.CreateFundedWalletAsync(0);
        await factory.AssertUnchangedAsync(async () =>
            await (
                await client.PostJsonAsync(
                    "/v1/transfers",
                    new
                    {
                        from_wallet_id = from.Id,
                        to_wallet_id = foreign.Id,
                        amount = 100,
                    }
                )
            ).ReadProblemAsync(HttpStatusCode.NotFound, "resource_missing")
        );
        await factory.AssertUnchangedAsync(async () =>
            await (
                await other.PostJsonAsync(
                    "/v1/transfers",
                    new
                    {
                        from_wallet_id = from.Id,
                        to_wallet_id = foreign.Id,
                        amount = 100,
                    }
                )
            ).ReadProblemAsync(HttpStatusCode.NotFound, "resource_missing")
        );
        await factory.AssertUnchangedAsync(async () =>
            await (
                await client.PostJsonAsync(
                    "/v1/transfers",
                    new
                    {
                        from_wallet_id = from.Id,
                        to_wallet_id = from.Id,
                        amount = 100,
                    }
                )
            ).ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed")
        );
        Assert.Equal((7_500L, 2_500L), (await client.BalanceAsync(from.Id), await client.BalanceAsync(to.Id)));
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_withdrawal_debits_the_wallet_goes_in_transit_and_settles_through_the_bank()
    {
        using var client = await factory.CreatePlatformAsync();
        var owner = await client.CreateCustomerAsync("Ada");
        var wallet = await client.CreateWalletAsync(owner.Id);
        await client.TopUpByCardAsync(wallet.Id, 10_000);
        var account = await client.CreateBankAccountAsync(owner.Id, TestIbans.Spain);

        var payout = await (
            await client.PostJsonAsync(
                $"/v1/wallets/{wallet.Id}/withdrawals",
                new { bankaccount_id = account.Id, amount = 4_000 }
            )
        ).ReadAsync<PayoutResponse>(HttpStatusCode.Created);

        Assert.Equal(
            (PayoutType.Account, PayoutStatus.InTransit, 4_000L, wallet.Id, account.Id, (string?)null),
            (payout.Type, payout.Status, payout.Amount, payout.SourceWalletId, payout.BankaccountId, payout.OrderId)
        );
        Assert.NotNull(payout.SettlesAt);
        Assert.Equal(6_000, await client.BalanceAsync(wallet.Id));
        await LedgerInvariants.AssertAsync(factory);

        var settled = await (
            await client.PostJsonAsync($"/v1/sandbox/payouts/{payout.Id}/settle", new { })
        ).ReadAsync<PayoutResponse>();

        Assert.Equal(PayoutStatus.Paid, settled.Status);
        Assert.NotNull(settled.PaidAt);
        Assert.Equal(6_000, await client.BalanceAsync(wallet.Id));
        await (await client.PostJsonAsync($"/v1/sandbox/payouts/{payout.Id}/settle", new { })).ReadProblemAsync(
            HttpStatusCode.Conflict,
            "payout_not_in_transit"
        );
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_withdrawal_beyond_the_balance_or_to_someone_elses_account_changes_nothing()
    {
        using var client = await factory.CreatePlatformAsync();
        var owner = await client.CreateCustomerAsync("Ada");
        var wallet = await client.CreateWalletAsync(owner.Id);
        await client.TopUpByCardAsync(wallet.Id, 1_000);
        var own = await client.CreateBankAccountAsync(owner.Id);
        var stranger = await client.CreateCustomerAsync("Mallory");
        var strangers = await client.CreateBankAccountAsync(stranger.Id, TestIbans.Netherlands);

        await factory.AssertUnchangedAsync(async () =>
            await (
                await client.PostJsonAsync(
                    $"/v1/wallets/{wallet.Id}/withdrawals",
                    new { bankaccount_id = own.Id, amount = 1_001 }
                )
            ).ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "insufficient_funds")
        );
        await factory.AssertUnchangedAsync(async () =>
            await (
                await client.PostJsonAsync(
                    $"/v1/wallets/{wallet.Id}/withdrawals",
                    new { bankaccount_id = strangers.Id, amount = 100 }
                )
            ).ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "destination_not_owners")
        );

        Assert.Equal(1_000, await client.BalanceAsync(wallet.Id));
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_withdrawal_the_bank_refuses_puts_the_money_back_in_the_wallet()
    {
        using var client = await factory.CreatePlatformAsync();
        var owner = await client.CreateCustomerAsync("Ada");
        var wallet = await client.CreateWalletAsync(owner.Id);
        await client.TopUpByCardAsync(wallet.Id, 3_000);
        var closed = await client.CreateBankAccountAsync(owner.Id, RefusedIban);

        var payout = await (
            await client.PostJsonAsync(
                $"/v1/wallets/{wallet.Id}/withdrawals",
                new { bankaccount_id = closed.Id, amount = 2_000 }
            )
        ).ReadAsync<PayoutResponse>(HttpStatusCode.Created);

        Assert.Equal(PayoutStatus.Refused, payout.Status);
        Assert.Contains("account_closed", payout.FailureReason);
        Assert.Equal(3_000, await client.BalanceAsync(wallet.Id));
        var history = await client.HistoryAsync(wallet.Id);
        Assert.Equal(
            [
                (TransferKind.PayoutReturn, "CREDIT", 3_000L),
                (TransferKind.Withdrawal, "DEBIT", 1_000L),
                (TransferKind.Topup, "CREDIT", 3_000L),
            ],
            history.Data.Select(t => (t.Kind, t.Direction, t.BalanceAfter))
        );
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task Wallet_history_lists_each_movement_with_counterpart_reference_and_running_balance_by_page()
    {
        using var client = await factory.CreatePlatformAsync();
        var owner = await client.CreateCustomerAsync("Ada");
        var wallet = await client.CreateWalletAsync(owner.Id);
        var friend = await client.CreateFundedWalletAsync(0, "Grace");
        var account = await client.CreateBankAccountAsync(owner.Id);
        var topup = await client.TopUpByCardAsync(wallet.Id, 10_000);
        var sent = await client.TransferAsync(wallet.Id, friend.Id, 3_000);
        var received = await client.TransferAsync(friend.Id, wallet.Id, 500);
        var withdrawal = await (
            await client.PostJsonAsync(
                $"/v1/wallets/{wallet.Id}/withdrawals",
                new { bankaccount_id = account.Id, amount = 2_000 }
            )
        ).ReadAsync<PayoutResponse>(HttpStatusCode.Created);

        var first = await client.HistoryAsync(wallet.Id, "?limit=3");
        var second = await client.HistoryAsync(wallet.Id, $"?limit=3&starting_after={first.Data[^1].Id}");

        Assert.True(first.HasMore);
        Assert.False(second.HasMore);
        Assert.Equal(
            [
                (TransferKind.Withdrawal, "DEBIT", 2_000L, LedgerAccounts.BankPayoutRail, withdrawal.Id, 5_500L),
                (TransferKind.WalletTransfer, "CREDIT", 500L, LedgerAccounts.Wallet(friend.Id), received.Id, 7_500L),
                (TransferKind.WalletTransfer, "DEBIT", 3_000L, LedgerAccounts.Wallet(friend.Id), sent.Id, 7_000L),
                (TransferKind.Topup, "CREDIT", 10_000L, LedgerAccounts.CardRail, topup.Id, 10_000L),
            ],
            first
                .Data.Concat(second.Data)
                .Select(t => (t.Kind, t.Direction, t.Amount, t.Counterpart, t.Reference, t.BalanceAfter))
        );
        Assert.All(first.Data.Concat(second.Data), t => Assert.Equal("EUR", t.Currency));
        Assert.Equal(5_500, await client.BalanceAsync(wallet.Id));

        using var other = await factory.CreatePlatformAsync();
        await (await other.GetAsync($"/v1/wallets/{wallet.Id}/transactions")).ReadProblemAsync(
            HttpStatusCode.NotFound,
            "resource_missing"
        );
        await LedgerInvariants.AssertAsync(factory);
    }
}
