using System.Net;
using Truust.Api.Http;
using Truust.Api.Payins;
using Truust.Api.Tests.Infrastructure;
using Truust.Api.Tests.Orders;
using Truust.Api.Webhooks;
using Truust.Domain.Orders;
using Truust.Domain.Payments;

namespace Truust.Api.Tests.Sandbox;

/// <summary>
/// A sandbox chargeback: the cardholder's bank takes a card payment back while the escrow holds it. The escrow goes
/// back to the card rail, the order ends CANCELLED by the table's chargeback row, and the processor's record and
/// the ledger reconcile. Once the money has left escrow there is nothing to take back: 409, nothing changes.
/// </summary>
public sealed class SandboxChargebackTests(TruustApiFactory factory) : IClassFixture<TruustApiFactory>
{
    [Fact]
    public async Task A_chargeback_while_the_money_is_held_empties_the_escrow_back_to_the_card_and_cancels_the_order()
    {
        using var flow = await OrderFlow.StartAsync(factory, feePercentBp: 250);
        var wallet = await flow.Client.CreateWalletAsync(flow.Seller.Id);
        var (order, _) = await flow.AwaitingValidationAsync(20_000, walletId: wallet.Id);

        var payin = await ChargeBackAsync(flow.Client, order.PayinId!);

        Assert.Equal(PayinStatus.ChargedBack, payin.Status);
        var cancelled = await flow.GetOrderAsync(order.Id);
        Assert.Equal((OrderStatus.Cancelled, 0L, 0L), (cancelled.Status, cancelled.Held, cancelled.Refunded));
        Assert.Empty(cancelled.AllowedActions);
        var last = (await flow.HistoryAsync(order.Id))[^1];
        Assert.Equal(
            (OrderStatus.PendingValidate, OrderStatus.Cancelled, "chargeback", OrderActor.Gateway),
            (last.From, last.To, last.Action, last.Actor)
        );
        Assert.Equal(
            [$"PAYIN world:card -> escrow:{order.Id} 20000", $"CHARGEBACK escrow:{order.Id} -> world:card 20000"],
            OrderFlow.Trail(await flow.LedgerAsync(order.Id))
        );
        Assert.Equal(0, (await flow.GetWalletAsync(wallet.Id)).Balance);
        var types = (await flow.Client.GetJsonAsync<Page<EventResponse>>($"/v1/events?object_id={payin.Id}&limit=100"))
            .Data.Select(e => e.Type)
            .ToList();
        Assert.Equal("payin.charged_back", types[0]);
        var orderEvents = await flow.Client.GetJsonAsync<Page<EventResponse>>(
            $"/v1/events?object_id={order.Id}&limit=1"
        );
        Assert.Equal("CANCELLED", orderEvents.Data[0].Data.GetProperty("status").GetString());
        // The ledger balances and the processor's chargeback matches the ledger's (LedgerInvariants reconciles).
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_chargeback_after_release_is_refused_and_changes_nothing()
    {
        using var flow = await OrderFlow.StartAsync(factory);
        var wallet = await flow.Client.CreateWalletAsync(flow.Seller.Id);
        var (order, _) = await flow.AwaitingValidationAsync(walletId: wallet.Id);
        await flow.ActAsync(order.Id, "validate");
        await flow.WaitForStatusAsync(order.Id, OrderStatus.Released);

        var problem = await factory.AssertUnchangedAsync(async () =>
            await (
                await flow.Client.PostAsync($"/v1/sandbox/payins/{order.PayinId}/chargeback", null)
            ).ReadProblemAsync(HttpStatusCode.Conflict, "invalid_transition")
        );

        Assert.Contains("RELEASED", problem.Detail);
        Assert.Equal(PayinStatus.Succeeded, (await flow.GetPayinAsync(order.PayinId!)).Status);
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_chargeback_of_a_wire_or_an_unpaid_card_payin_is_refused()
    {
        using var flow = await OrderFlow.StartAsync(factory);
        var wired = await flow.CreateOrderAsync();
        var wire = await flow.CreatePayinAsync(wired.Id, "BANKWIRE");
        await flow.SendWireAsync(wire.Bankwire!.Reference, 10_000);
        var unpaid = await flow.CreateOrderAsync();
        var card = await flow.CreatePayinAsync(unpaid.Id, "ADDON");

        foreach (var payinId in new[] { wire.Id, card.Id })
        {
            await factory.AssertUnchangedAsync(async () =>
                await (await flow.Client.PostAsync($"/v1/sandbox/payins/{payinId}/chargeback", null)).ReadProblemAsync(
                    HttpStatusCode.Conflict,
                    "chargeback_not_possible"
                )
            );
        }

        await (await flow.Client.PostAsync("/v1/sandbox/payins/pay_nosuchpayin/chargeback", null)).ReadProblemAsync(
            HttpStatusCode.NotFound,
            "resource_missing"
        );
        await LedgerInvariants.AssertAsync(factory);
    }

    private static async Task<PayinResponse> ChargeBackAsync(HttpClient client, string payinId) =>
        await (await client.PostAsync($"/v1/sandbox/payins/{payinId}/chargeback", null)).ReadAsync<PayinResponse>();
}
