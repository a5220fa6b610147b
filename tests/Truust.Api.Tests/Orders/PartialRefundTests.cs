using System.Net;
using Truust.Api.Orders;
using Truust.Api.Payins;
using Truust.Api.Tests.Infrastructure;
using Truust.Domain.Orders;
using Truust.Domain.Payments;
using static Truust.Api.Tests.Orders.OrderFlow;

namespace Truust.Api.Tests.Orders;

/// <summary>
/// <c>POST /v1/orders/{id}/refunds</c> in every status that holds money: part goes back along the payin's rail, the
/// rest stays held and is released with the fee and splits shrunk pro rata; a refund of everything ends the order;
/// never more than is held, even under parallel requests.
/// </summary>
public sealed class PartialRefundTests(TruustApiFactory factory) : IClassFixture<TruustApiFactory>
{
    [Fact]
    public async Task Partial_refunds_before_validation_leave_the_rest_to_release_with_fee_and_split_pro_rata()
    {
        using var flow = await StartAsync(factory);
        var sellerWallet = await flow.Client.CreateWalletAsync(flow.Seller.Id);
        var agentWallet = await flow.Client.CreateWalletAsync(flow.Buyer.Id);
        var order = await (
            await flow.Client.PostJsonAsync(
                "/v1/orders",
                new
                {
                    name = "Sofa",
                    amount = 10_000,
                    currency = "EUR",
                    buyer_id = flow.Buyer.Id,
                    seller_id = flow.Seller.Id,
                    fee_amount = 1_000,
                    splits = new[] { new { wallet_id = agentWallet.Id, amount = 2_000 } },
                }
            )
        ).ReadAsync<OrderResponse>(HttpStatusCode.Created);
        await flow.PayCardAsync((await flow.CreatePayinAsync(order.Id, "ADDON")).Id, SuccessCard);

        var published = await flow.GetOrderAsync(order.Id);
        Assert.Equal(["accept", "reject", "cancel", "refund"], published.AllowedActions);
        var first = await RefundAsync(flow, order.Id, new { amount = 1_000, reason = "late" });
        await flow.ActAsync(order.Id, "accept");
        await flow.CreatePayoutAsync(order.Id, walletId: sellerWallet.Id);
        var second = await RefundAsync(flow, order.Id, new { amount = 1_501, reason = "scratched" });
        var awaiting = await flow.GetOrderAsync(order.Id);

        Assert.Equal((RefundStatus.Succeeded, 1_000L, PayinType.Addon), (first.Status, first.Amount, first.Rail));
        Assert.Equal((RefundStatus.Succeeded, 1_501L), (second.Status, second.Amount));
        Assert.Equal(
            (OrderStatus.PendingValidate, 7_499L, 2_501L),
            (awaiting.Status, awaiting.Held, awaiting.Refunded)
        );
        await flow.ActAsync(order.Id, "validate");
        var released = await flow.WaitForStatusAsync(order.Id, OrderStatus.Released);

        // 7,499 of the 10,000 paid is left: fee 1,000 → 749.9, split 2,000 → 1,499.8, seller 7,000 → 5,249.3; the
        // two spare cents go to the largest remainders (fee, split).
        Assert.Equal((0L, 2_501L), (released.Held, released.Refunded));
        Assert.Equal(5_249, (await flow.GetWalletAsync(sellerWallet.Id)).Balance);
        Assert.Equal(1_500, (await flow.GetWalletAsync(agentWallet.Id)).Balance);
        var trail = Trail(await flow.LedgerAsync(order.Id));
        Assert.Contains(trail, t => t.StartsWith("FEE ") && t.EndsWith(" 750"));
        Assert.Equal(2, trail.Count(t => t.StartsWith("REFUND ")));
        Assert.Equal(
            2,
            await factory.CountAsync("simulator.card_refunds", $"charge_reference = '{published.PayinId}'")
        );
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_refund_of_everything_an_accepted_wire_order_holds_cancels_it_and_pays_back_the_sender_iban()
    {
        using var flow = await StartAsync(factory);
        var order = await flow.CreateOrderAsync(12_000);
        var payin = await flow.CreatePayinAsync(order.Id, "BANKWIRE");
        await flow.SendWireAsync(payin.Bankwire!.Reference, 12_000, TestIbans.Netherlands);
        await flow.ActAsync(order.Id, "accept");

        var part = await RefundAsync(flow, order.Id, new { amount = 2_000 });
        var rest = await (
            await flow.Client.PostAsync($"/v1/orders/{order.Id}/refunds", null)
        ).ReadAsync<RefundResponse>(HttpStatusCode.Created);
        var cancelled = await flow.GetOrderAsync(order.Id);

        Assert.Equal((PayinType.Bankwire, 2_000L, 10_000L), (part.Rail, part.Amount, rest.Amount));
        Assert.Equal((OrderStatus.Cancelled, 0L, 12_000L), (cancelled.Status, cancelled.Held, cancelled.Refunded));
        Assert.Empty(cancelled.AllowedActions);
        var last = (await flow.HistoryAsync(order.Id))[^1];
        Assert.Equal(
            ("ACCEPTED->CANCELLED:refund_all", OrderActor.System),
            ($"{Wire(last.From)}->{Wire(last.To)}:" + last.Action, last.Actor)
        );
        Assert.Contains(rest.Id, last.Reason);
        Assert.Equal(
            2,
            await factory.CountAsync(
                "simulator.bank_transfers",
                $"iban = '{TestIbans.Netherlands}' AND " + $"reference IN ('{part.Id}', '{rest.Id}')"
            )
        );
        await factory.AssertUnchangedAsync(async () =>
            await (
                await flow.Client.PostJsonAsync($"/v1/orders/{order.Id}/refunds", new { amount = 1 })
            ).ReadProblemAsync(HttpStatusCode.Conflict, "invalid_transition")
        );
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task Ten_parallel_refunds_never_refund_more_than_is_held()
    {
        using var flow = await StartAsync(factory);
        var order = await flow.PaidOrderAsync(10_000);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable
            .Range(0, 10)
            .Select(_ =>
                Task.Run(async () =>
                {
                    await gate.Task;
                    return await flow.Client.PostJsonAsync($"/v1/orders/{order.Id}/refunds", new { amount = 3_000 });
                })
            )
            .ToList();
        gate.SetResult();
        var responses = await Task.WhenAll(tasks);

        Assert.Equal(3, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        foreach (var loser in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            await loser.ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "refund_exceeds_held");
        }

        var after = await flow.GetOrderAsync(order.Id);
        Assert.Equal((OrderStatus.Published, 1_000L, 9_000L), (after.Status, after.Held, after.Refunded));
        Assert.Equal(3, await factory.CountAsync("simulator.card_refunds", $"charge_reference = '{order.PayinId}'"));
        await LedgerInvariants.AssertAsync(factory);
    }

    private static async Task<RefundResponse> RefundAsync(OrderFlow flow, string orderId, object body) =>
        await (await flow.Client.PostJsonAsync($"/v1/orders/{orderId}/refunds", body)).ReadAsync<RefundResponse>(
            HttpStatusCode.Created
        );
}
