using System.Net;
using Truust.Api.Campaigns;
using Truust.Api.Http;
using Truust.Api.Payins;
using Truust.Api.Tests.Infrastructure;
using Truust.Domain.Campaigns;
using Truust.Domain.Payments;

namespace Truust.Api.Tests.Campaigns;

/// <summary>
/// How a campaign's pool leaves escrow: released to the owner (target reached, KEEP_IT_ALL, early close) or refunded
/// to every contributor along the rail each paid with (target missed, cancelled). The background workers run as in
/// production; the tests also drive the deadline and refund jobs by hand so they need not wait for a poll.
/// </summary>
public sealed class CampaignSettlementTests(TruustApiFactory factory) : IClassFixture<TruustApiFactory>
{
    [Fact]
    public async Task A_campaign_that_reaches_its_target_releases_the_pool_less_the_fee_to_the_owner_at_the_deadline()
    {
        var platform = await factory.CreateTestPlatformAsync(feePercentBp: 250);
        using var client = platform.Client;
        var owner = await client.CreateCustomerAsync("Owner");
        var ada = await client.CreateCustomerAsync("Ada");
        var grace = await client.CreateCustomerAsync("Grace");
        var linus = await client.CreateCustomerAsync("Linus");
        var linusWallet = await client.CreateFundedWalletAsync(linus.Id, 3_000);
        var deadline = factory.Clock.GetUtcNow().AddDays(7);
        var campaign = await client.CreateCampaignAsync(owner.Id, 10_000, deadline);

        await client.ContributeByCardAsync(campaign.Id, ada.Id, 4_000);
        await client.ContributeByWireAsync(campaign.Id, grace.Id, 3_500, TestIbans.Germany);
        var open = await client.GetCampaignAsync(campaign.Id);
        Assert.Equal((CampaignStatus.Open, 7_500L, 0L), (open.Status, open.Raised, open.Pending));
        Assert.Equal(["contribute", "cancel"], open.AllowedActions);
        await client.ContributeFromWalletAsync(campaign.Id, linus.Id, linusWallet.Id, 3_000);

        var funded = await client.GetCampaignAsync(campaign.Id);
        Assert.Equal((CampaignStatus.Funded, 10_500L), (funded.Status, funded.Raised));
        Assert.Equal(["contribute", "close", "cancel"], funded.AllowedActions);
        Assert.Equal(10_500, await CampaignWork.EscrowBalanceAsync(factory, campaign.Id));
        await LedgerInvariants.AssertAsync(factory);

        factory.Clock.SetUtcNow(deadline.AddMinutes(1));
        var settled = await CampaignWork.SettleDeadlineAsync(factory, client, campaign.Id);

        // 2.5 % of 10,500 is 262.5, rounded half up to 263.
        Assert.Equal((CampaignStatus.Succeeded, 0L, 263L), (settled.Status, settled.Raised, settled.FeeAmount));
        Assert.Empty(settled.AllowedActions);
        Assert.NotNull(settled.ClosedAt);
        Assert.Equal(10_237, (await client.CustomerWalletAsync(owner.Id)).Balance);
        Assert.Equal(263, await CampaignWork.FeeWalletBalanceAsync(factory, platform.Id));
        Assert.Equal(0, await CampaignWork.EscrowBalanceAsync(factory, campaign.Id));
        Assert.Equal(0, await client.WalletBalanceAsync(linusWallet.Id));
        var report = await client.GetRefundReportAsync(campaign.Id);
        Assert.Equal((3, 0, 0L), (report.Contributions, report.Refunds, report.RefundedAmount));
        var contributions = await client.GetJsonAsync<Page<ContributionResponse>>(
            $"/v1/campaigns/{campaign.Id}/contributions"
        );
        Assert.Equal(3, contributions.Data.Count);
        Assert.All(contributions.Data, c => Assert.Equal(ContributionStatus.Confirmed, c.Status));
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_campaign_that_misses_its_target_refunds_every_contributor_along_the_rail_each_paid_with()
    {
        var platform = await factory.CreateTestPlatformAsync(feePercentBp: 250);
        using var client = platform.Client;
        var owner = await client.CreateCustomerAsync("Owner");
        var ada = await client.CreateCustomerAsync("Ada");
        var grace = await client.CreateCustomerAsync("Grace");
        var linus = await client.CreateCustomerAsync("Linus");
        var margaret = await client.CreateCustomerAsync("Margaret");
        var linusWallet = await client.CreateFundedWalletAsync(linus.Id, 5_000);
        var deadline = factory.Clock.GetUtcNow().AddDays(7);
        var campaign = await client.CreateCampaignAsync(owner.Id, 50_000, deadline);

        var card = await client.ContributeByCardAsync(campaign.Id, ada.Id, 4_000);
        var wire = await client.ContributeByWireAsync(campaign.Id, grace.Id, 3_500, TestIbans.Germany);
        var fromWallet = await client.ContributeFromWalletAsync(campaign.Id, linus.Id, linusWallet.Id, 3_000);
        // Margaret never pays: her card payin is still open when the deadline passes.
        var unpaid = await client.PledgeByCardAsync(campaign.Id, margaret.Id, 1_000);
        Assert.Equal(2_000, await client.WalletBalanceAsync(linusWallet.Id));
        var before = await client.GetCampaignAsync(campaign.Id);
        Assert.Equal((CampaignStatus.Open, 10_500L, 1_000L), (before.Status, before.Raised, before.Pending));

        factory.Clock.SetUtcNow(deadline.AddMinutes(1));
        var settled = await CampaignWork.SettleDeadlineAsync(factory, client, campaign.Id);
        var report = await CampaignWork.CompleteRefundsAsync(factory, client, campaign.Id, expected: 3);

        Assert.Equal(
            (CampaignStatus.Failed, 0L, 0L, (long?)null),
            (settled.Status, settled.Raised, settled.Pending, settled.FeeAmount)
        );
        Assert.Equal(
            (3, 3, 3, 0, 0, 10_500L),
            (
                report.Contributions,
                report.Refunds,
                report.Succeeded,
                report.Pending,
                report.Failed,
                report.RefundedAmount
            )
        );
        var refunds = report.Data.ToDictionary(r => r.PayinId);
        Assert.Equal(new[] { card.Payin!.Id, fromWallet.Payin!.Id, wire.Payin!.Id }.Order(), refunds.Keys.Order());
        Assert.Equal((PayinType.Addon, 4_000L), (refunds[card.Payin.Id].Rail, refunds[card.Payin.Id].Amount));
        Assert.Equal((PayinType.Bankwire, 3_500L), (refunds[wire.Payin.Id].Rail, refunds[wire.Payin.Id].Amount));
        Assert.Equal(
            (PayinType.Wallet, 3_000L),
            (refunds[fromWallet.Payin.Id].Rail, refunds[fromWallet.Payin.Id].Amount)
        );
        Assert.All(
            report.Data,
            r => Assert.Equal((RefundStatus.Succeeded, "campaign target missed"), (r.Status, r.Reason))
        );

        // Wallet: the balance is back to what it was before contributing.
        Assert.Equal(5_000, await client.WalletBalanceAsync(linusWallet.Id));
        // Card: the card processor recorded the refund against the original charge.
        var cardRefundId = refunds[card.Payin.Id].Id;
        Assert.Equal(
            4_000L,
            await CampaignWork.ScalarAsync<long>(
                factory,
                "SELECT amount_minor FROM simulator.card_refunds WHERE reference = @r AND charge_reference = @c",
                ("r", cardRefundId),
                ("c", card.Payin.Id)
            )
        );
        Assert.Equal(
            4_000L,
            await CampaignWork.ScalarAsync<long>(
                factory,
                "SELECT refunded_minor FROM simulator.card_charges WHERE reference = @c",
                ("c", card.Payin.Id)
            )
        );
        // Wire: the bank sent the money back to the account the wire came from.
        var wireRefundId = refunds[wire.Payin.Id].Id;
        Assert.Equal(
            $"{TestIbans.Germany} 3500 EUR",
            await CampaignWork.ScalarAsync<string>(
                factory,
                "SELECT iban || ' ' || amount_minor || ' ' || currency FROM simulator.bank_transfers WHERE reference = @r",
                ("r", wireRefundId)
            )
        );

        // The unpaid pledge is cancelled, not refunded, and nobody was paid.
        var payin = await client.GetJsonAsync<PayinResponse>($"/v1/payins/{unpaid.Payin!.Id}");
        Assert.Equal(PayinStatus.Cancelled, payin.Status);
        var contributions = (
            await client.GetJsonAsync<Page<ContributionResponse>>($"/v1/campaigns/{campaign.Id}/contributions")
        ).Data.ToDictionary(c => c.Id);
        Assert.Equal(ContributionStatus.Failed, contributions[unpaid.Id].Status);
        Assert.All(
            new[] { card, wire, fromWallet },
            c =>
            {
                Assert.Equal(ContributionStatus.Refunded, contributions[c.Id].Status);
                Assert.Equal(refunds[c.Payin!.Id].Id, contributions[c.Id].RefundId);
            }
        );
        Assert.Equal(0, await CampaignWork.EscrowBalanceAsync(factory, campaign.Id));
        Assert.Equal(0, await factory.CountAsync("wallets", $"customer_id = '{owner.Id}'"));
        Assert.Equal(0, await CampaignWork.FeeWalletBalanceAsync(factory, platform.Id));
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task Keep_it_all_below_its_target_releases_what_was_raised_at_the_deadline()
    {
        var platform = await factory.CreateTestPlatformAsync(feeFixedMinor: 50);
        using var client = platform.Client;
        var owner = await client.CreateCustomerAsync("Owner");
        var ada = await client.CreateCustomerAsync("Ada");
        var grace = await client.CreateCustomerAsync("Grace");
        var deadline = factory.Clock.GetUtcNow().AddDays(3);
        var campaign = await client.CreateCampaignAsync(
            owner.Id,
            10_000,
            deadline,
            kind: "DONATION",
            mode: "KEEP_IT_ALL"
        );
        await client.ContributeByCardAsync(campaign.Id, ada.Id, 1_800);
        await client.ContributeByWireAsync(campaign.Id, grace.Id, 1_200, TestIbans.France);

        factory.Clock.SetUtcNow(deadline.AddSeconds(1));
        var settled = await CampaignWork.SettleDeadlineAsync(factory, client, campaign.Id);

        Assert.Equal(
            (CampaignStatus.Succeeded, CampaignMode.KeepItAll, 0L, 50L),
            (settled.Status, settled.Mode, settled.Raised, settled.FeeAmount)
        );
        Assert.Equal(2_950, (await client.CustomerWalletAsync(owner.Id)).Balance);
        Assert.Equal(50, await CampaignWork.FeeWalletBalanceAsync(factory, platform.Id));
        Assert.Equal(0, await CampaignWork.EscrowBalanceAsync(factory, campaign.Id));
        Assert.Equal(0, (await client.GetRefundReportAsync(campaign.Id)).Refunds);
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task Keep_it_all_with_nothing_raised_fails_at_the_deadline_and_pays_nobody()
    {
        var platform = await factory.CreateTestPlatformAsync(feeFixedMinor: 50);
        using var client = platform.Client;
        var owner = await client.CreateCustomerAsync("Owner");
        var deadline = factory.Clock.GetUtcNow().AddDays(3);
        var campaign = await client.CreateCampaignAsync(owner.Id, 10_000, deadline, mode: "KEEP_IT_ALL");

        factory.Clock.SetUtcNow(deadline.AddSeconds(1));
        var settled = await CampaignWork.SettleDeadlineAsync(factory, client, campaign.Id);

        Assert.Equal((CampaignStatus.Failed, 0L), (settled.Status, settled.Raised));
        Assert.Equal(0, await factory.CountAsync("wallets", $"customer_id = '{owner.Id}'"));
        Assert.Equal(0, await CampaignWork.FeeWalletBalanceAsync(factory, platform.Id));
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task The_owner_closes_a_funded_campaign_early_and_the_pool_is_released_at_once()
    {
        var platform = await factory.CreateTestPlatformAsync(feePercentBp: 100);
        using var client = platform.Client;
        var owner = await client.CreateCustomerAsync("Owner");
        var ada = await client.CreateCustomerAsync("Ada");
        var grace = await client.CreateCustomerAsync("Grace");
        var adaWallet = await client.CreateFundedWalletAsync(ada.Id, 6_000);
        var campaign = await client.CreateCampaignAsync(owner.Id, 5_000, factory.Clock.GetUtcNow().AddDays(90));
        await client.ContributeFromWalletAsync(campaign.Id, ada.Id, adaWallet.Id, 6_000);
        // Grace's wire instructions are out, the wire not yet arrived.
        var pendingWire = await client.PledgeByWireAsync(campaign.Id, grace.Id, 1_000);
        Assert.Equal(CampaignStatus.Funded, (await client.GetCampaignAsync(campaign.Id)).Status);

        var closed = await (
            await client.PostAsync($"/v1/campaigns/{campaign.Id}/close", null)
        ).ReadAsync<CampaignResponse>();

        Assert.Equal(
            (CampaignStatus.Succeeded, 0L, 0L, 60L),
            (closed.Status, closed.Raised, closed.Pending, closed.FeeAmount)
        );
        Assert.Equal(factory.Clock.GetUtcNow(), closed.ClosedAt!.Value, TimeSpan.FromMilliseconds(1));
        Assert.Empty(closed.AllowedActions);
        Assert.Equal(5_940, (await client.CustomerWalletAsync(owner.Id)).Balance);
        Assert.Equal(60, await CampaignWork.FeeWalletBalanceAsync(factory, platform.Id));
        Assert.Equal(0, await CampaignWork.EscrowBalanceAsync(factory, campaign.Id));
        Assert.Equal(
            PayinStatus.Cancelled,
            (await client.GetJsonAsync<PayinResponse>($"/v1/payins/{pendingWire.Payin!.Id}")).Status
        );

        // The wire that arrives after the close funds nothing: it is parked, and the campaign is unchanged.
        var late = await client.SendWireAsync(pendingWire.Payin, TestIbans.Netherlands);
        Assert.Equal("PAYIN_CLOSED", late.Status);
        var after = await client.GetCampaignAsync(campaign.Id);
        Assert.Equal((CampaignStatus.Succeeded, 0L, 0L), (after.Status, after.Raised, after.Pending));
        // A closed campaign takes no more money and cannot be closed twice.
        await factory.AssertUnchangedAsync(async () =>
            await (await client.PostContributionAsync(campaign.Id, grace.Id, 500, "ADDON")).ReadProblemAsync(
                HttpStatusCode.Conflict,
                "campaign_closed"
            )
        );
        var again = await factory.AssertUnchangedAsync(async () =>
            await (await client.PostAsync($"/v1/campaigns/{campaign.Id}/close", null)).ReadProblemAsync(
                HttpStatusCode.Conflict,
                "invalid_transition"
            )
        );
        Assert.Equal("SUCCEEDED", again.Body.GetProperty("current_status").GetString());
        Assert.Equal(0, again.Body.GetProperty("allowed_actions").GetArrayLength());
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task Closing_a_campaign_that_has_not_reached_its_target_is_409_with_the_allowed_actions()
    {
        using var client = await factory.CreatePlatformAsync(feePercentBp: 100);
        var owner = await client.CreateCustomerAsync("Owner");
        var ada = await client.CreateCustomerAsync("Ada");
        var campaign = await client.CreateCampaignAsync(owner.Id, 5_000, factory.Clock.GetUtcNow().AddDays(90));
        await client.ContributeByCardAsync(campaign.Id, ada.Id, 4_999);

        var problem = await factory.AssertUnchangedAsync(async () =>
            await (await client.PostAsync($"/v1/campaigns/{campaign.Id}/close", null)).ReadProblemAsync(
                HttpStatusCode.Conflict,
                "invalid_transition"
            )
        );

        Assert.Equal("OPEN", problem.Body.GetProperty("current_status").GetString());
        Assert.Equal(
            ["contribute", "cancel"],
            problem.Body.GetProperty("allowed_actions").EnumerateArray().Select(a => a.GetString())
        );
        var still = await client.GetCampaignAsync(campaign.Id);
        Assert.Equal((CampaignStatus.Open, 4_999L), (still.Status, still.Raised));
        Assert.Equal(["contribute", "cancel"], still.AllowedActions);
        Assert.Equal(4_999, await CampaignWork.EscrowBalanceAsync(factory, campaign.Id));
        Assert.Equal(0, await factory.CountAsync("wallets", $"customer_id = '{owner.Id}'"));
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task Cancelling_a_funded_campaign_refunds_every_contributor_and_pays_the_owner_nothing()
    {
        var platform = await factory.CreateTestPlatformAsync(feePercentBp: 100);
        using var client = platform.Client;
        var owner = await client.CreateCustomerAsync("Owner");
        var ada = await client.CreateCustomerAsync("Ada");
        var grace = await client.CreateCustomerAsync("Grace");
        var linus = await client.CreateCustomerAsync("Linus");
        var linusWallet = await client.CreateFundedWalletAsync(linus.Id, 2_500);
        var campaign = await client.CreateCampaignAsync(owner.Id, 6_000, factory.Clock.GetUtcNow().AddDays(90));
        var card = await client.ContributeByCardAsync(campaign.Id, ada.Id, 2_000);
        var wire = await client.ContributeByWireAsync(campaign.Id, grace.Id, 1_500, TestIbans.Spain);
        await client.ContributeFromWalletAsync(campaign.Id, linus.Id, linusWallet.Id, 2_500);
        Assert.Equal(CampaignStatus.Funded, (await client.GetCampaignAsync(campaign.Id)).Status);

        var cancelled = await (
            await client.PostAsync($"/v1/campaigns/{campaign.Id}/cancel", null)
        ).ReadAsync<CampaignResponse>();
        var report = await CampaignWork.CompleteRefundsAsync(factory, client, campaign.Id, expected: 3);

        Assert.Equal(
            (CampaignStatus.Cancelled, 0L, (long?)null),
            (cancelled.Status, cancelled.Raised, cancelled.FeeAmount)
        );
        Assert.Empty(cancelled.AllowedActions);
        Assert.Equal((3, 0, 0, 6_000L), (report.Succeeded, report.Pending, report.Failed, report.RefundedAmount));
        Assert.All(report.Data, r => Assert.Equal("campaign cancelled", r.Reason));
        Assert.Equal(2_500, await client.WalletBalanceAsync(linusWallet.Id));
        Assert.Equal(
            1L,
            await CampaignWork.ScalarAsync<long>(
                factory,
                "SELECT count(*) FROM simulator.card_refunds WHERE charge_reference = @c",
                ("c", card.Payin!.Id)
            )
        );
        var wireRefund = report.Data.Single(r => r.PayinId == wire.Payin!.Id);
        Assert.Equal(
            TestIbans.Spain,
            await CampaignWork.ScalarAsync<string>(
                factory,
                "SELECT iban FROM simulator.bank_transfers WHERE reference = @r",
                ("r", wireRefund.Id)
            )
        );
        Assert.Equal(0, await CampaignWork.EscrowBalanceAsync(factory, campaign.Id));
        Assert.Equal(0, await factory.CountAsync("wallets", $"customer_id = '{owner.Id}'"));
        Assert.Equal(0, await CampaignWork.FeeWalletBalanceAsync(factory, platform.Id));

        // Cancelled is final: neither a second cancel nor a close moves any money.
        foreach (var action in new[] { "cancel", "close" })
        {
            var problem = await factory.AssertUnchangedAsync(async () =>
                await (await client.PostAsync($"/v1/campaigns/{campaign.Id}/{action}", null)).ReadProblemAsync(
                    HttpStatusCode.Conflict,
                    "invalid_transition"
                )
            );
            Assert.Equal(0, problem.Body.GetProperty("allowed_actions").GetArrayLength());
        }

        await LedgerInvariants.AssertAsync(factory);
    }
}
