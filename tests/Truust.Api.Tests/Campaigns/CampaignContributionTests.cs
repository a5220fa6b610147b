using System.Net;
using Microsoft.AspNetCore.Hosting;
using Truust.Api.Tests.Infrastructure;
using Truust.Domain.Campaigns;
using Truust.Domain.Payments;

namespace Truust.Api.Tests.Campaigns;

/// <summary>
/// The API with no background work: a test that moves the clock past a deadline sees the campaign exactly as the
/// contributor does until the test itself runs the deadline job.
/// </summary>
public sealed class NoWorkersApiFactory : TruustApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Workers:Enabled", "false");
    }
}

/// <summary>What a campaign refuses to take, and that a refusal changes nothing.</summary>
public sealed class CampaignContributionTests(NoWorkersApiFactory factory) : IClassFixture<NoWorkersApiFactory>
{
    [Fact]
    public async Task A_contribution_at_or_after_the_deadline_is_422_deadline_passed_and_changes_nothing()
    {
        using var client = await factory.CreatePlatformAsync();
        var owner = await client.CreateCustomerAsync("Owner");
        var ada = await client.CreateCustomerAsync("Ada");
        var adaWallet = await client.CreateFundedWalletAsync(ada.Id, 1_000);
        var deadline = factory.Clock.GetUtcNow().AddHours(1);
        var campaign = await client.CreateCampaignAsync(owner.Id, 5_000, deadline, mode: "KEEP_IT_ALL");
        await client.ContributeByCardAsync(campaign.Id, ada.Id, 700);

        factory.Clock.SetUtcNow(deadline);
        foreach (var (type, walletId) in new[] { ("ADDON", null), ("BANKWIRE", null), ("WALLET", adaWallet.Id) })
        {
            var problem = await factory.AssertUnchangedAsync(async () =>
                await (await client.PostContributionAsync(campaign.Id, ada.Id, 500, type, walletId)).ReadProblemAsync(
                    HttpStatusCode.UnprocessableEntity,
                    "deadline_passed"
                )
            );
            Assert.Contains(campaign.Id, problem.Detail);
        }

        Assert.Equal(1_000, await client.WalletBalanceAsync(adaWallet.Id));
        // Once the deadline job has settled it, the campaign is closed to everyone.
        var settled = await CampaignWork.SettleDeadlineAsync(factory, client, campaign.Id);
        Assert.Equal((CampaignStatus.Succeeded, 0L), (settled.Status, settled.Raised));
        await factory.AssertUnchangedAsync(async () =>
            await (await client.PostContributionAsync(campaign.Id, ada.Id, 500, "ADDON")).ReadProblemAsync(
                HttpStatusCode.Conflict,
                "campaign_closed"
            )
        );
        Assert.Equal(700, (await client.CustomerWalletAsync(owner.Id)).Balance);
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_contribution_past_the_hard_cap_is_422_hard_cap_reached_and_unpaid_pledges_hold_their_room()
    {
        using var client = await factory.CreatePlatformAsync();
        var owner = await client.CreateCustomerAsync("Owner");
        var ada = await client.CreateCustomerAsync("Ada");
        var grace = await client.CreateCustomerAsync("Grace");
        var adaWallet = await client.CreateFundedWalletAsync(ada.Id, 10_000);
        var campaign = await client.CreateCampaignAsync(
            owner.Id,
            5_000,
            factory.Clock.GetUtcNow().AddDays(90),
            hardCap: 6_000
        );
        await client.ContributeFromWalletAsync(campaign.Id, ada.Id, adaWallet.Id, 4_000);
        var pledge = await client.PledgeByCardAsync(campaign.Id, grace.Id, 1_500);

        // 4,000 raised and 1,500 pledged: 500 of room is left under the cap.
        var problem = await factory.AssertUnchangedAsync(async () =>
            await (
                await client.PostContributionAsync(campaign.Id, ada.Id, 501, "WALLET", adaWallet.Id)
            ).ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "hard_cap_reached")
        );
        Assert.Contains("amount", problem.Errors.Keys);
        Assert.Equal(6_000, await client.WalletBalanceAsync(adaWallet.Id));

        // The declined card frees its 1,500; then the cap is met exactly, and one cent more is refused.
        var declined = await client.PayByCardAsync(pledge.Payin!.Id, CampaignHttp.DeclinedCard);
        Assert.Equal(PayinStatus.Failed, declined.Status);
        var freed = await client.GetCampaignAsync(campaign.Id);
        Assert.Equal((4_000L, 0L), (freed.Raised, freed.Pending));
        await client.ContributeFromWalletAsync(campaign.Id, ada.Id, adaWallet.Id, 2_000);
        await factory.AssertUnchangedAsync(async () =>
            await (await client.PostContributionAsync(campaign.Id, grace.Id, 1, "ADDON")).ReadProblemAsync(
                HttpStatusCode.UnprocessableEntity,
                "hard_cap_reached"
            )
        );

        var full = await client.GetCampaignAsync(campaign.Id);
        Assert.Equal(
            (CampaignStatus.Funded, 6_000L, 0L, 6_000L),
            (full.Status, full.Raised, full.Pending, full.HardCap)
        );
        Assert.Equal(6_000, await CampaignWork.EscrowBalanceAsync(factory, campaign.Id));
        Assert.Equal(4_000, await client.WalletBalanceAsync(adaWallet.Id));
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task Contributions_below_the_minimum_or_above_the_maximum_are_422_and_the_bounds_themselves_are_taken()
    {
        using var client = await factory.CreatePlatformAsync();
        var owner = await client.CreateCustomerAsync("Owner");
        var ada = await client.CreateCustomerAsync("Ada");
        var adaWallet = await client.CreateFundedWalletAsync(ada.Id, 5_000);
        var campaign = await client.CreateCampaignAsync(
            owner.Id,
            50_000,
            factory.Clock.GetUtcNow().AddDays(90),
            minContribution: 500,
            maxContribution: 2_000
        );

        foreach (var (amount, code) in new[] { (499L, "contribution_too_small"), (2_001L, "contribution_too_large") })
        {
            var problem = await factory.AssertUnchangedAsync(async () =>
                await (
                    await client.PostContributionAsync(campaign.Id, ada.Id, amount, "WALLET", adaWallet.Id)
                ).ReadProblemAsync(HttpStatusCode.UnprocessableEntity, code)
            );
            Assert.Contains("amount", problem.Errors.Keys);
        }

        await client.ContributeFromWalletAsync(campaign.Id, ada.Id, adaWallet.Id, 500);
        await client.ContributeFromWalletAsync(campaign.Id, ada.Id, adaWallet.Id, 2_000);
        Assert.Equal(2_500, (await client.GetCampaignAsync(campaign.Id)).Raised);
        Assert.Equal(2_500, await client.WalletBalanceAsync(adaWallet.Id));
        Assert.Equal(2_500, await CampaignWork.EscrowBalanceAsync(factory, campaign.Id));
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_wallet_contribution_larger_than_the_balance_is_422_insufficient_funds_and_changes_nothing()
    {
        using var client = await factory.CreatePlatformAsync();
        var owner = await client.CreateCustomerAsync("Owner");
        var ada = await client.CreateCustomerAsync("Ada");
        var grace = await client.CreateCustomerAsync("Grace");
        var adaWallet = await client.CreateFundedWalletAsync(ada.Id, 1_000);
        var campaign = await client.CreateCampaignAsync(owner.Id, 5_000, factory.Clock.GetUtcNow().AddDays(90));

        await factory.AssertUnchangedAsync(async () =>
            await (
                await client.PostContributionAsync(campaign.Id, ada.Id, 1_001, "WALLET", adaWallet.Id)
            ).ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "insufficient_funds")
        );
        // Someone else's wallet cannot pay for a contribution.
        await factory.AssertUnchangedAsync(async () =>
            await (
                await client.PostContributionAsync(campaign.Id, grace.Id, 100, "WALLET", adaWallet.Id)
            ).ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "wallet_not_contributors")
        );

        var unchanged = await client.GetCampaignAsync(campaign.Id);
        Assert.Equal((0L, 0L), (unchanged.Raised, unchanged.Pending));
        Assert.Equal(1_000, await client.WalletBalanceAsync(adaWallet.Id));
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_campaign_with_a_past_deadline_or_a_hard_cap_below_its_target_is_refused_and_nothing_is_created()
    {
        using var client = await factory.CreatePlatformAsync();
        var owner = await client.CreateCustomerAsync("Owner");
        var now = factory.Clock.GetUtcNow();
        object Body(DateTimeOffset deadline, long? hardCap) =>
            new
            {
                name = "Roofs",
                kind = "REWARD",
                owner_id = owner.Id,
                target_amount = 5_000,
                currency = "EUR",
                deadline,
                hard_cap = hardCap,
            };

        await factory.AssertUnchangedAsync(async () =>
            await (await client.PostJsonAsync("/v1/campaigns", Body(now, null))).ReadProblemAsync(
                HttpStatusCode.UnprocessableEntity,
                "invalid_deadline"
            )
        );
        var capped = await factory.AssertUnchangedAsync(async () =>
            await (await client.PostJsonAsync("/v1/campaigns", Body(now.AddDays(1), 4_999))).ReadProblemAsync(
                HttpStatusCode.UnprocessableEntity,
                "validation_failed"
            )
        );
        Assert.Contains("hard_cap", capped.Errors.Keys);
        Assert.Equal(0, await factory.CountAsync("campaigns", $"owner_id = '{owner.Id}'"));
    }
}
