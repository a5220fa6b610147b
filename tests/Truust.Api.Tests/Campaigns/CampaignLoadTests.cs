using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Truust.Api.Campaigns;
using Truust.Api.Customers;
using Truust.Api.Tests.Infrastructure;
using Truust.Api.Wallets;
using Truust.Domain.Campaigns;
using Truust.Domain.Payments;
using Xunit.Abstractions;

namespace Truust.Api.Tests.Campaigns;

/// <summary>The API with a rate limit far above what one load test sends from its one key.</summary>
public sealed class UnthrottledApiFactory : TruustApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // The test is about money under concurrency; at 100 requests/s per key it would measure the limiter instead.
        builder.UseSetting("RateLimits:PermitsPerSecond", "1000000");
        builder.UseSetting("RateLimits:Burst", "1000000");
    }
}

/// <summary>
/// One campaign, 1,000 contributions sent concurrently over HTTP (card and wallet, 24 requests in flight): every
/// contribution serialises on the campaign row, so none may be lost or counted twice. Then the target is missed and
/// all 1,000 go back.
/// </summary>
public sealed class CampaignLoadTests(UnthrottledApiFactory factory, ITestOutputHelper output)
    : IClassFixture<UnthrottledApiFactory>
{
    private const int ContributionCount = 1_000;
    private const int ContributorCount = 50;
    private static readonly ParallelOptions InFlight = new() { MaxDegreeOfParallelism = 24 };

    [Fact]
    public async Task A_thousand_concurrent_contributions_fill_the_escrow_exactly_and_a_missed_target_refunds_them_all()
    {
        var run = Stopwatch.StartNew();
        var platform = await factory.CreateTestPlatformAsync(feePercentBp: 250);
        using var client = platform.Client;
        var owner = await client.CreateCustomerAsync("Owner");
        // Contribution i: contributor i mod 50; from the wallet in even rounds of 50, by card in odd ones.
        static long AmountOf(int i) => 100 + i * 37 % 901;
        static bool FromWallet(int i) => i / ContributorCount % 2 == 0;
        var indexes = Enumerable.Range(0, ContributionCount).ToList();
        var walletShare = Enumerable
            .Range(0, ContributorCount)
            .Select(k => indexes.Where(i => i % ContributorCount == k && FromWallet(i)).Sum(AmountOf))
            .ToArray();
        var contributors = new CustomerResponse[ContributorCount];
        var wallets = new WalletResponse[ContributorCount];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, ContributorCount),
            InFlight,
            async (k, _) =>
            {
                contributors[k] = await client.CreateCustomerAsync($"Lender {k}");
                wallets[k] = await client.CreateFundedWalletAsync(contributors[k].Id, walletShare[k]);
            }
        );
        var deadline = factory.Clock.GetUtcNow().AddDays(7);
        var expectedTotal = indexes.Sum(AmountOf);
        var campaign = await client.CreateCampaignAsync(owner.Id, expectedTotal + 1, deadline);
        var setUp = run.Elapsed;

        var contributing = Stopwatch.StartNew();
        var made = new ConcurrentBag<ContributionResponse>();
        await Parallel.ForEachAsync(
            indexes,
            InFlight,
            async (i, _) =>
            {
                var k = i % ContributorCount;
                made.Add(
                    FromWallet(i)
                        ? await client.ContributeFromWalletAsync(
                            campaign.Id,
                            contributors[k].Id,
                            wallets[k].Id,
                            AmountOf(i)
                        )
                        : await client.ContributeByCardAsync(campaign.Id, contributors[k].Id, AmountOf(i))
                );
            }
        );
        contributing.Stop();

        Assert.Equal(ContributionCount, made.Select(c => c.Id).Distinct().Count());
        var full = await client.GetCampaignAsync(campaign.Id);
        Assert.Equal((CampaignStatus.Open, expectedTotal, 0L), (full.Status, full.Raised, full.Pending));
        Assert.Equal(expectedTotal, await CampaignWork.EscrowBalanceAsync(factory, campaign.Id));
        Assert.Equal(
            $"{ContributionCount} {expectedTotal}",
            await CampaignWork.ScalarAsync<string>(
                factory,
                """
                SELECT count(*) || ' ' || sum(amount_minor) FROM contributions
                WHERE campaign_id = @c AND status = 'CONFIRMED'
                """,
                ("c", campaign.Id)
            )
        );
        Assert.Equal(
            ContributionCount,
            await factory.CountAsync("payins", $"campaign_id = '{campaign.Id}' AND status = 'SUCCEEDED'")
        );
        foreach (var wallet in wallets)
        {
            Assert.Equal(0, await client.WalletBalanceAsync(wallet.Id));
        }

        await LedgerInvariants.AssertAsync(factory);

        var refunding = Stopwatch.StartNew();
        factory.Clock.SetUtcNow(deadline.AddMinutes(1));
        var settled = await CampaignWork.SettleDeadlineAsync(factory, client, campaign.Id);
        var report = await CampaignWork.CompleteRefundsAsync(factory, client, campaign.Id, ContributionCount);
        refunding.Stop();

        Assert.Equal((CampaignStatus.Failed, 0L), (settled.Status, settled.Raised));
        Assert.Equal(
            (ContributionCount, 0, 0, expectedTotal),
            (report.Contributions, report.Pending, report.Failed, report.RefundedAmount)
        );
        var byRail = report.Data.GroupBy(r => r.Rail).ToDictionary(g => g.Key, g => (g.Count(), g.Sum(r => r.Amount)));
        var cardTotal = indexes.Where(i => !FromWallet(i)).Sum(AmountOf);
        Assert.Equal((ContributionCount / 2, cardTotal), byRail[PayinType.Addon]);
        Assert.Equal((ContributionCount / 2, expectedTotal - cardTotal), byRail[PayinType.Wallet]);
        Assert.Equal(made.Select(c => c.Payin!.Id).Order(), report.Data.Select(r => r.PayinId).Order());
        Assert.Equal(0, await CampaignWork.EscrowBalanceAsync(factory, campaign.Id));
        Assert.Equal(
            $"{ContributionCount / 2} {cardTotal}",
            await CampaignWork.ScalarAsync<string>(
                factory,
                """
                SELECT count(*) || ' ' || sum(r.amount_minor) FROM simulator.card_refunds r
                JOIN payins p ON p.id = r.charge_reference WHERE p.campaign_id = @c
                """,
                ("c", campaign.Id)
            )
        );
        Assert.Equal(
            ContributionCount,
            await factory.CountAsync(
                "contributions",
                $"campaign_id = '{campaign.Id}' AND status = 'REFUNDED' AND refund_id IS NOT NULL"
            )
        );
        for (var k = 0; k < ContributorCount; k++)
        {
            Assert.Equal(walletShare[k], await client.WalletBalanceAsync(wallets[k].Id));
        }

        Assert.Equal(0, await factory.CountAsync("wallets", $"customer_id = '{owner.Id}'"));
        await LedgerInvariants.AssertAsync(factory);
        output.WriteLine(
            $"set-up (50 funded wallets): {setUp.TotalSeconds:F1} s; {ContributionCount} "
                + $"contributions ({ContributionCount / 2} card, {ContributionCount / 2} wallet, "
                + $"{InFlight.MaxDegreeOfParallelism} in flight): {contributing.Elapsed.TotalSeconds:F1} s "
                + $"({ContributionCount / contributing.Elapsed.TotalSeconds:F0}/s); deadline and "
                + $"{ContributionCount} refunds: {refunding.Elapsed.TotalSeconds:F1} s; "
                + $"whole test: {run.Elapsed.TotalSeconds:F1} s"
        );
    }
}
