using System.Net;
using Microsoft.AspNetCore.Hosting;
using Truust.Api.Campaigns;
using Truust.Api.Http;
using Truust.Api.Payins;
using Truust.Api.Platforms;
using Truust.Api.Sandbox;
using Truust.Api.Tests.Campaigns;
using Truust.Api.Tests.Infrastructure;
using Truust.Api.Tests.Orders;
using Truust.Domain.Campaigns;
using Truust.Domain.Orders;
using Truust.Domain.Payments;

namespace Truust.Api.Tests.Sandbox;

/// <summary>
/// Workers that would sleep ten minutes between polls: whatever a clock advance makes due is handled only because
/// the advance wakes the deadline workers, so these tests also prove the wake-up.
/// </summary>
public sealed class SleepyWorkersApiFactory : TruustApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Workers:PollMilliseconds", "600000");
    }
}

/// <summary>
/// A platform's sandbox clock: every timer of that platform runs on it, other platforms keep real time, and only
/// test keys move it. The application's own clock (<see cref="TruustApiFactory.Clock"/>) never moves here.
/// </summary>
public sealed class SandboxClockTests(SleepyWorkersApiFactory factory) : IClassFixture<SleepyWorkersApiFactory>
{
    [Fact]
    public async Task A_30_day_campaign_below_target_refunds_all_after_a_31_day_advance_and_other_platforms_wait()
    {
        var sandbox = await factory.CreateTestPlatformAsync();
        var other = await factory.CreateTestPlatformAsync();
        using var client = sandbox.Client;
        using var otherClient = other.Client;
        var deadline = factory.Clock.GetUtcNow().AddDays(30);
        var campaign = await NewCampaignAsync(client, deadline);
        var ada = await client.CreateCustomerAsync("Ada");
        var grace = await client.CreateCustomerAsync("Grace");
        var card = await client.ContributeByCardAsync(campaign.Id, ada.Id, 4_000);
        var wire = await client.ContributeByWireAsync(campaign.Id, grace.Id, 3_500, TestIbans.Germany);
        var untouched = await NewCampaignAsync(otherClient, deadline);
        var otherAda = await otherClient.CreateCustomerAsync("Ada");
        await otherClient.ContributeByCardAsync(untouched.Id, otherAda.Id, 2_000);

        var clock = await AdvanceAsync(client, new { days = 31 });

        Assert.Equal(31L * 86_400, clock.OffsetSeconds);
        Assert.Equal(clock.RealNow.AddDays(31), clock.Now);
        var failed = await EventuallyAsync(
            () => client.GetCampaignAsync(campaign.Id),
            c => c.Status == CampaignStatus.Failed
        );
        Assert.Equal(0L, failed.Raised);
        var report = await CampaignWork.CompleteRefundsAsync(factory, client, campaign.Id, expected: 2);
        Assert.Equal(7_500L, report.RefundedAmount);
        Assert.Equal(
            new[] { card.Payin!.Id, wire.Payin!.Id }.Order(),
            report.Data.Where(r => r.Status == RefundStatus.Succeeded).Select(r => r.PayinId).Order()
        );
        Assert.Equal(0, await CampaignWork.EscrowBalanceAsync(factory, campaign.Id));
        // The history is written in the platform's time: the expiry happened 31 days from now, after the deadline.
        var history = (
            await client.GetJsonAsync<Page<CampaignStatusChangeResponse>>($"/v1/campaigns/{campaign.Id}/history")
        ).Data;
        Assert.True(history[^1].At > deadline, $"The expiry was recorded at {history[^1].At:O}, before the deadline.");

        // The other platform's clock did not move: its campaign is still open and holds its money.
        var otherClock = await otherClient.GetJsonAsync<SandboxClockResponse>("/v1/sandbox/clock");
        Assert.Equal(0L, otherClock.OffsetSeconds);
        var stillOpen = await otherClient.GetCampaignAsync(untouched.Id);
        Assert.Equal((CampaignStatus.Open, 2_000L), (stillOpen.Status, stillOpen.Raised));
        Assert.Equal(2_000, await CampaignWork.EscrowBalanceAsync(factory, untouched.Id));
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_wire_payin_expires_after_an_advance_past_its_deadline_and_another_platforms_wire_waits()
    {
        using var flow = await OrderFlow.StartAsync(factory);
        using var otherFlow = await OrderFlow.StartAsync(factory);
        var order = await flow.CreateOrderAsync(25_000);
        var payin = await flow.CreatePayinAsync(order.Id, "BANKWIRE");
        var otherOrder = await otherFlow.CreateOrderAsync(25_000);
        var otherPayin = await otherFlow.CreatePayinAsync(otherOrder.Id, "BANKWIRE");

        // Short of the 7-day deadline nothing expires; past it the wire expiry worker fails the order at once.
        await AdvanceAsync(flow.Client, new { hours = 7 * 24 - 1 });
        await flow.RunJobAsync<WireExpiryJob>();
        Assert.Equal(PayinStatus.Pending, (await flow.GetPayinAsync(payin.Id)).Status);
        await AdvanceAsync(flow.Client, new { seconds = 2 * 3_600 });
        var failed = await EventuallyAsync(() => flow.GetOrderAsync(order.Id), o => o.Status == OrderStatus.Failure);

        var expired = await flow.GetPayinAsync(payin.Id);
        Assert.Equal((PayinStatus.Expired, "bankwire_expired"), (expired.Status, expired.FailureCode));
        Assert.Equal(["pay", "cancel"], failed.AllowedActions);
        var otherWaiting = await otherFlow.GetPayinAsync(otherPayin.Id);
        Assert.Equal(PayinStatus.Pending, otherWaiting.Status);
        Assert.Equal(OrderStatus.PendingPublish, (await otherFlow.GetOrderAsync(otherOrder.Id)).Status);
        var late = await otherFlow.SendWireAsync(otherPayin.Bankwire!.Reference, 25_000);
        Assert.Equal("MATCHED", late.Status);
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task An_account_payout_settles_when_the_platforms_clock_passes_the_banks_settlement_time()
    {
        using var flow = await OrderFlow.StartAsync(factory);
        var account = await flow.Client.CreateBankAccountAsync(flow.Seller.Id, TestIbans.Spain);
        var (order, payout) = await flow.AwaitingValidationAsync(bankAccountId: account.Id);
        await flow.ActAsync(order.Id, "validate");
        await flow.WaitForPayoutAsync(payout.Id, PayoutStatus.InTransit);

        await AdvanceAsync(flow.Client, new { days = 3 });

        var paid = await EventuallyAsync(() => flow.GetPayoutAsync(payout.Id), p => p.Status == PayoutStatus.Paid);
        Assert.Equal(OrderStatus.Released, (await flow.GetOrderAsync(order.Id)).Status);
        Assert.NotNull(paid.SettlesAt);
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_live_key_may_neither_read_nor_move_the_sandbox_clock()
    {
        var platform = await factory.CreateTestPlatformAsync();
        using var operatorClient = factory.OperatorClient();
        var live = await (
            await operatorClient.PostJsonAsync($"/v1/platforms/{platform.Id}/api_keys", new { mode = "live" })
        ).ReadAsync<ApiKeyResponse>(HttpStatusCode.Created);
        Assert.StartsWith("sk_live_", live.Secret);
        Assert.Equal("live", live.Mode);
        using var liveClient = factory.ClientWithKey(live.Secret!);

        await (await liveClient.GetAsync("/v1/sandbox/clock")).ReadProblemAsync(
            HttpStatusCode.Forbidden,
            "sandbox_only"
        );
        await factory.AssertUnchangedAsync(async () =>
            await (await liveClient.PostJsonAsync("/v1/sandbox/clock/advance", new { days = 1 })).ReadProblemAsync(
                HttpStatusCode.Forbidden,
                "sandbox_only"
            )
        );
        // The live key still works for ordinary calls.
        Assert.Equal(HttpStatusCode.OK, (await liveClient.GetAsync("/v1/platform")).StatusCode);
    }

    [Theory]
    [InlineData("""{"days":-1}""")]
    [InlineData("""{"seconds":0}""")]
    [InlineData("""{"days":367}""")]
    [InlineData("""{"hours":9223372036854775807}""")]
    [InlineData("""{"days":1,"hours":2}""")]
    [InlineData("{}")]
    [InlineData("""{"days":"soon"}""")]
    [InlineData("""{"days":1.5}""")]
    [InlineData("""{"days":""")]
    public async Task A_bad_advance_is_a_problem_and_leaves_the_clock_alone(string body)
    {
        var platform = await factory.CreateTestPlatformAsync();
        using var client = platform.Client;

        var problem = await factory.AssertUnchangedAsync(async () =>
            await client.PostRawAsync("/v1/sandbox/clock/advance", body)
        );

        Assert.True(
            problem.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity,
            $"{body} answered {problem.StatusCode}."
        );
        Assert.Equal("application/problem+json", problem.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0L, (await client.GetJsonAsync<SandboxClockResponse>("/v1/sandbox/clock")).OffsetSeconds);
    }

    [Fact]
    public async Task The_clock_runs_at_most_ten_years_ahead_in_all()
    {
        var platform = await factory.CreateTestPlatformAsync();
        using var client = platform.Client;
        for (var i = 0; i < 10; i++)
        {
            await (
                await client.PostJsonAsync("/v1/sandbox/clock/advance", new { days = 366 })
            ).ReadAsync<SandboxClockResponse>();
        }

        await factory.AssertUnchangedAsync(async () =>
            await (await client.PostJsonAsync("/v1/sandbox/clock/advance", new { seconds = 1 })).ReadProblemAsync(
                HttpStatusCode.UnprocessableEntity,
                "clock_limit_reached"
            )
        );
    }

    /// <summary>A 50,000 campaign with the given deadline.</summary>
    private static async Task<CampaignResponse> NewCampaignAsync(HttpClient client, DateTimeOffset deadline)
    {
        var owner = await client.CreateCustomerAsync("Owner");
        return await client.CreateCampaignAsync(owner.Id, 50_000, deadline);
    }

    /// <summary>
    /// Moves the platform's sandbox clock. The test clock first catches up with real time: it stands still where
    /// the factory started it, while a new row's worker lease starts at the database's own now(), so without this
    /// no worker could claim a row created during the test, whatever its deadline.
    /// </summary>
    private async Task<SandboxClockResponse> AdvanceAsync(HttpClient client, object body)
    {
        var realNow = DateTimeOffset.UtcNow.AddSeconds(1);
        if (realNow > factory.Clock.GetUtcNow())
        {
            factory.Clock.SetUtcNow(realNow);
        }

        return await (await client.PostJsonAsync("/v1/sandbox/clock/advance", body)).ReadAsync<SandboxClockResponse>();
    }

    /// <summary>Reads until <paramref name="done"/> holds; fails with the last value after 30 s.</summary>
    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var giveUpAt = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < giveUpAt, $"Still {value} after 30 s.");
            await Task.Delay(25);
        }
    }
}
