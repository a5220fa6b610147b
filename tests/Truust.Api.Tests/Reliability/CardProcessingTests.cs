using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Truust.Api.Gateways;
using Truust.Api.Gateways.Simulated;
using Truust.Api.Payins;
using Truust.Api.Tests.Infrastructure;
using Truust.Domain;
using Truust.Domain.Orders;
using static Truust.Api.Tests.Orders.OrderFlow;

namespace Truust.Api.Tests.Reliability;

/// <summary>
/// A card payin left PROCESSING, as a crash between the processor's charge and Truust's record leaves it: the
/// recovery job and a cancel both resolve it by asking the processor, and no approved charge stays unrecorded.
/// </summary>
public sealed class CardProcessingTests(TruustApiFactory factory) : IClassFixture<TruustApiFactory>
{
    [Fact]
    public async Task Cancelling_an_order_whose_card_is_processing_records_the_charge_first_and_refunds_it()
    {
        using var flow = await StartAsync(factory);
        var order = await flow.CreateOrderAsync(8_800);
        var payin = await flow.CreatePayinAsync(order.Id, "ADDON");
        await CrashAfterTheChargeAsync(payin.Id, 8_800, charged: true);

        var cancelled = await flow.ActAsync(order.Id, "cancel");

        Assert.Equal((OrderStatus.Cancelled, 0L, 8_800L), (cancelled.Status, cancelled.Held, cancelled.Refunded));
        Assert.Equal(1, await factory.CountAsync("simulator.card_charges", $"reference = '{payin.Id}'"));
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task The_recovery_job_records_an_approved_charge_left_processing_once_its_lease_has_passed()
    {
        using var flow = await StartAsync(factory);
        var order = await flow.CreateOrderAsync(4_400);
        var payin = await flow.CreatePayinAsync(order.Id, "ADDON");
        await CrashAfterTheChargeAsync(payin.Id, 4_400, charged: true);

        // Within the lease the request that charged the card may still record it: the job leaves the payin alone.
        await flow.RunJobAsync<CardRecoveryJob>();
        Assert.Equal(OrderStatus.PendingPublish, (await flow.GetOrderAsync(order.Id)).Status);
        factory.Clock.Advance(TimeSpan.FromMinutes(2));
        await flow.RunJobAsync<CardRecoveryJob>();
        factory.Clock.Advance(TimeSpan.FromMinutes(2));
        await flow.RunJobAsync<CardRecoveryJob>();

        var published = await flow.GetOrderAsync(order.Id);
        Assert.Equal((OrderStatus.Published, 4_400L, 0L), (published.Status, published.Held, published.Refunded));
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_card_that_never_reached_the_processor_fails_the_payin_after_its_lease_and_takes_nothing()
    {
        using var flow = await StartAsync(factory);
        var order = await flow.CreateOrderAsync(2_200);
        var payin = await flow.CreatePayinAsync(order.Id, "ADDON");
        await CrashAfterTheChargeAsync(payin.Id, 2_200, charged: false);

        // Within the lease the submission may still be on its way: a cancel is refused, nothing changes.
        await (await flow.Client.PostJsonAsync($"/v1/orders/{order.Id}/cancel", new { })).ReadProblemAsync(
            HttpStatusCode.Conflict,
            "payin_processing"
        );
        factory.Clock.Advance(TimeSpan.FromMinutes(2));
        await flow.RunJobAsync<CardRecoveryJob>();

        var failed = await flow.GetOrderAsync(order.Id);
        Assert.Equal((OrderStatus.Failure, 0L), (failed.Status, failed.Held));
        Assert.Equal(0, await factory.CountAsync("simulator.card_charges", $"reference = '{payin.Id}'"));
        await LedgerInvariants.AssertAsync(factory);
    }

    /// <summary>
    /// What a SIGKILL between the processor call and the record leaves: the payin PROCESSING with a live lease, and
    /// at the processor an approved charge (or, when the process died before the call, none).
    /// </summary>
    private async Task CrashAfterTheChargeAsync(string payinId, long amountMinor, bool charged)
    {
        if (charged)
        {
            var processor = factory.Services.GetRequiredService<SimulatedCardGateway>();
            var card = new CardDetails(SuccessCard, 12, factory.Clock.GetUtcNow().Year + 2, "123", "Bea Buyer");
            await processor.AuthorizeAsync(payinId, Money.Positive(amountMinor, "EUR"), card, CancellationToken.None);
        }

        await using var connection = await factory.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(
            "UPDATE payins SET status = 'PROCESSING', next_attempt_at = @lease WHERE id = @id",
            connection
        );
        command.Parameters.AddWithValue("id", payinId);
        command.Parameters.AddWithValue("lease", factory.Clock.GetUtcNow().AddSeconds(30));
        await command.ExecuteNonQueryAsync();
    }
}
