using System.Net;
using Truust.Api.Campaigns;
using Truust.Api.Http;
using Truust.Api.Tests.Contract;
using Truust.Api.Tests.Infrastructure;
using Truust.Domain.Campaigns;

namespace Truust.Api.Tests.Campaigns;

/// <summary>
/// A campaign's status history, like an order's: every status change leaves one row (from, to, action, who, when),
/// written in the same commit as the change by the one apply path, and read oldest first from
/// <c>GET /v1/campaigns/{id}/history</c>. Actions taken in place (a contribution, a repayment) leave none.
/// </summary>
public sealed class CampaignHistoryTests(NoWorkersApiFactory factory) : IClassFixture<NoWorkersApiFactory>
{
    [Fact]
    public async Task A_funded_campaign_released_to_its_owner_records_the_target_reached_and_the_owners_close()
    {
        using var client = await factory.CreatePlatformAsync();
        var owner = await client.CreateCustomerAsync("Owner");
        var ada = await client.CreateCustomerAsync("Ada");
        var grace = await client.CreateCustomerAsync("Grace");
        var campaign = await client.CreateCampaignAsync(owner.Id, 5_000, factory.Clock.GetUtcNow().AddDays(30));
        Assert.Empty(await HistoryAsync(client, campaign.Id));

        await client.ContributeByCardAsync(campaign.Id, ada.Id, 2_000);
        Assert.Empty(await HistoryAsync(client, campaign.Id));
        await client.ContributeByCardAsync(campaign.Id, grace.Id, 3_000);
        var released = await (
            await client.PostAsync($"/v1/campaigns/{campaign.Id}/close", null)
        ).ReadAsync<CampaignResponse>();

        Assert.Equal((CampaignStatus.Succeeded, 0L), (released.Status, released.Raised));
        Assert.Equal(5_000, (await client.CustomerWalletAsync(owner.Id)).Balance);
        var history = await HistoryAsync(client, campaign.Id);
        Assert.Equal(
            [
                (CampaignStatus.Open, CampaignStatus.Funded, "reach_target", CampaignActor.System, (string?)null),
                (CampaignStatus.Funded, CampaignStatus.Succeeded, "close", CampaignActor.Platform, null),
            ],
            history.Select(c => (c.From, c.To, c.Action, c.Actor, c.Reason))
        );
        Assert.All(history, c => Assert.StartsWith("csc_", c.Id));
        Assert.All(history, c => Assert.Equal("campaign_status_change", c.Object));
        Assert.True(history[0].At <= history[1].At);
        // Read back, as the history is: the database keeps microseconds, the clock ticks.
        Assert.Equal((await client.GetCampaignAsync(campaign.Id)).ClosedAt, history[1].At);
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_failed_campaign_refunded_to_its_contributors_records_one_expiry_by_the_deadline_worker()
    {
        using var client = await factory.CreatePlatformAsync();
        var owner = await client.CreateCustomerAsync("Owner");
        var ada = await client.CreateCustomerAsync("Ada");
        var deadline = factory.Clock.GetUtcNow().AddDays(7);
        var campaign = await client.CreateCampaignAsync(owner.Id, 5_000, deadline);
        await client.ContributeByCardAsync(campaign.Id, ada.Id, 1_500);

        factory.Clock.SetUtcNow(deadline.AddMinutes(1));
        var failed = await CampaignWork.SettleDeadlineAsync(factory, client, campaign.Id);
        var report = await CampaignWork.CompleteRefundsAsync(factory, client, campaign.Id, expected: 1);

        Assert.Equal(CampaignStatus.Failed, failed.Status);
        Assert.Equal(1_500, report.RefundedAmount);
        var step = Assert.Single(await HistoryAsync(client, campaign.Id));
        Assert.Equal(
            (CampaignStatus.Open, CampaignStatus.Failed, "expire", CampaignActor.System, failed.ClosedAt),
            (step.From, step.To, step.Action, step.Actor, (DateTimeOffset?)step.At)
        );
        // A refusal (closing a failed campaign) writes no history.
        await factory.AssertUnchangedAsync(async () =>
            await (await client.PostAsync($"/v1/campaigns/{campaign.Id}/close", null)).ReadProblemAsync(
                HttpStatusCode.Conflict,
                "invalid_transition"
            )
        );
        Assert.Single(await HistoryAsync(client, campaign.Id));
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_loan_records_its_disbursement_and_its_repayment_but_not_each_instalment()
    {
        using var client = await factory.CreatePlatformAsync();
        var borrower = await client.CreateCustomerAsync("Borrower");
        var ada = await client.CreateCustomerAsync("Ada");
        var loan = await client.CreateCampaignAsync(
            borrower.Id,
            4_000,
            factory.Clock.GetUtcNow().AddDays(30),
            kind: "LOAN",
            annualInterestBp: 0,
            termMonths: 2
        );
        await client.ContributeByCardAsync(loan.Id, ada.Id, 4_000);
        await (await client.PostAsync($"/v1/campaigns/{loan.Id}/close", null)).ReadAsync<CampaignResponse>();
        foreach (var _ in new[] { 1, 2 })
        {
            await (
                await client.PostJsonAsync($"/v1/campaigns/{loan.Id}/repayments", new { amount = (long?)null })
            ).ReadAsync<RepaymentResponse>(HttpStatusCode.Created);
        }

        Assert.Equal(CampaignStatus.Repaid, (await client.GetCampaignAsync(loan.Id)).Status);
        Assert.Equal(
            [
                "OPEN->FUNDED:reach_target by SYSTEM",
                "FUNDED->SUCCEEDED:close by PLATFORM",
                "SUCCEEDED->REPAYING:disburse by SYSTEM",
                "REPAYING->REPAID:complete_repayment by SYSTEM",
            ],
            (await HistoryAsync(client, loan.Id)).Select(c =>
                $"{Wire(c.From)}->{Wire(c.To)}:{c.Action} by {Wire(c.Actor)}"
            )
        );
        Assert.Superset(
            new HashSet<string>
            {
                "campaign.created",
                "campaign.status_changed",
                "contribution.confirmed",
                "campaign.repayment",
            },
            await EventContractTests.AssertEventsMatchTheirFamiliesAsync(client)
        );
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task Another_platforms_campaign_history_is_not_found()
    {
        using var client = await factory.CreatePlatformAsync();
        using var other = await factory.CreatePlatformAsync();
        var owner = await client.CreateCustomerAsync("Owner");
        var campaign = await client.CreateCampaignAsync(owner.Id, 5_000, factory.Clock.GetUtcNow().AddDays(30));
        await client.PostAsync($"/v1/campaigns/{campaign.Id}/cancel", null);

        Assert.Single(await HistoryAsync(client, campaign.Id));
        await (await other.GetAsync($"/v1/campaigns/{campaign.Id}/history")).ReadProblemAsync(
            HttpStatusCode.NotFound,
            "resource_missing"
        );
    }

    private static async Task<List<CampaignStatusChangeResponse>> HistoryAsync(HttpClient client, string campaignId) =>
        (
            await client.GetJsonAsync<Page<CampaignStatusChangeResponse>>($"/v1/campaigns/{campaignId}/history")
        ).Data.ToList();

    private static string Wire<TEnum>(TEnum value)
        where TEnum : struct, Enum => Domain.WireName.Of(value);
}
