using System.Net;
using Truust.Api.Disputes;
using Truust.Api.Orders;
using Truust.Api.Tests.Contract;
using Truust.Api.Tests.Infrastructure;
using Truust.Domain.Disputes;
using Truust.Domain.Orders;
using Truust.Domain.Payments;

namespace Truust.Api.Tests.Orders;

/// <summary>
/// A dispute naming one milestone of an order paid in stages: it holds only that milestone (the others are released
/// meanwhile) and its settlement refunds part of it to the card and releases the rest, fee pro rata, in one commit.
/// Bad milestone ids are clear problems that change nothing.
/// </summary>
public sealed class MilestoneDisputeTests(TruustApiFactory factory) : IClassFixture<TruustApiFactory>
{
    [Fact]
    public async Task A_dispute_on_milestone_2_holds_only_it_and_settles_with_a_partial_refund_and_its_release()
    {
        using var flow = await OrderFlow.StartAsync(factory, feePercentBp: 500); // 5 %: 50.00 of 1,000.00
        var wallet = await flow.Client.CreateWalletAsync(flow.Seller.Id);
        var order = await CreateAsync(flow, 30_000, 30_000, 40_000);
        var other = await CreateAsync(flow, 10_000);
        await flow.PayCardAsync((await flow.CreatePayinAsync(order.Id, "ADDON")).Id, OrderFlow.SuccessCard);
        await flow.ActAsync(order.Id, "accept");
        await flow.CreatePayoutAsync(order.Id, walletId: wallet.Id);
        var (design, build, launch) = (order.Milestones[0].Id, order.Milestones[1].Id, order.Milestones[2].Id);
        await MilestoneActAsync(flow, order.Id, design, "validate");

        // Bad input: no milestone on an order paid in milestones, another order's milestone, a released milestone.
        foreach (
            var (milestoneId, code) in new (string?, string)[]
            {
                (null, "milestone_required"),
                (other.Milestones[0].Id, "unknown_milestone"),
                (design, "milestone_not_disputable"),
            }
        )
        {
            await factory.AssertUnchangedAsync(async () =>
                await (await OpenAsync(flow, order.Id, milestoneId)).ReadProblemAsync(
                    HttpStatusCode.UnprocessableEntity,
                    code
                )
            );
        }

        var dispute = await (await OpenAsync(flow, order.Id, build)).ReadAsync<DisputeResponse>(HttpStatusCode.Created);
        Assert.Equal((build, DisputeStatus.AwaitingSeller), (dispute.MilestoneId, dispute.Status));

        // The disputed milestone waits; the others go on.
        foreach (var path in new[] { "validate", "refunds" })
        {
            await factory.AssertUnchangedAsync(async () =>
                await (
                    await flow.Client.PostJsonAsync($"/v1/orders/{order.Id}/milestones/{build}/{path}", new { })
                ).ReadProblemAsync(HttpStatusCode.Conflict, "dispute_open")
            );
        }

        var afterLaunch = await MilestoneActAsync(flow, order.Id, launch, "validate");
        Assert.Equal((OrderStatus.PendingValidate, 30_000L), (afterLaunch.Status, afterLaunch.Held));

        var resolved = await (
            await flow.Client.PostJsonAsync(
                $"/v1/disputes/{dispute.Id}/resolve",
                new { refund_amount = 10_000, text = "Half the build is missing." }
            )
        ).ReadAsync<DisputeResponse>();
        Assert.Equal(
            (build, DisputeStatus.Resolved, 10_000L),
            (resolved.MilestoneId, resolved.Status, resolved.RefundedAmount)
        );

        // 100.00 back to the card; the 200.00 left released with its fee share shrunk from 15.00 to 10.00.
        var ended = await flow.GetOrderAsync(order.Id);
        Assert.Equal((OrderStatus.Released, 0L, 10_000L), (ended.Status, ended.Held, ended.Refunded));
        Assert.Equal(
            [MilestoneStatus.Released, MilestoneStatus.Released, MilestoneStatus.Released],
            ended.Milestones.Select(m => m.Status)
        );
        Assert.Equal([30_000L, 20_000L, 40_000L], ended.Milestones.Select(m => m.Released));
        var refund = Assert.Single(await flow.RefundsAsync(order.Id));
        Assert.Equal((10_000L, PayinType.Addon, RefundStatus.Succeeded), (refund.Amount, refund.Rail, refund.Status));
        Assert.Equal(28_500 + 19_000 + 38_000, (await flow.GetWalletAsync(wallet.Id)).Balance);
        Assert.Equal(3, await factory.CountAsync("payouts", $"order_id = '{order.Id}' AND status = 'PAID'"));
        Assert.Equal(
            3,
            await factory.CountAsync(
                "events",
                $"object_id = '{dispute.Id}' AND type IN ('dispute.opened', 'dispute.resolved', 'dispute.settled') "
                    + $"AND data::jsonb->>'milestone_id' = '{build}'"
            )
        );
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_seller_refund_in_full_and_a_silent_seller_past_the_deadline_refund_milestones_and_cancel()
    {
        using var flow = await OrderFlow.StartAsync(factory);
        var wallet = await flow.Client.CreateWalletAsync(flow.Seller.Id);
        var order = await CreateAsync(flow, 5_000, 5_000);
        await flow.PayCardAsync((await flow.CreatePayinAsync(order.Id, "ADDON")).Id, OrderFlow.SuccessCard);
        await flow.ActAsync(order.Id, "accept");
        await flow.CreatePayoutAsync(order.Id, walletId: wallet.Id);
        var (first, second) = (order.Milestones[0].Id, order.Milestones[1].Id);

        var refunded = await (await OpenAsync(flow, order.Id, first)).ReadAsync<DisputeResponse>(
            HttpStatusCode.Created
        );
        // The order is not cancelled under a milestone's open dispute.
        await factory.AssertUnchangedAsync(async () =>
            await (await flow.PostActionAsync(order.Id, "cancel")).ReadProblemAsync(
                HttpStatusCode.Conflict,
                "dispute_open"
            )
        );
        var answered = await (
            await flow.Client.PostJsonAsync($"/v1/disputes/{refunded.Id}/answer", new { type = "REFUND_IN_FULL" })
        ).ReadAsync<DisputeResponse>();
        Assert.Equal((5_000L, first), (answered.RefundedAmount, answered.MilestoneId));
        var half = await flow.GetOrderAsync(order.Id);
        Assert.Equal((OrderStatus.PendingValidate, 5_000L), (half.Status, half.Held));
        Assert.Equal([MilestoneStatus.Refunded, MilestoneStatus.Pending], half.Milestones.Select(m => m.Status));

        // The seller stays silent on the second: past its deadline the buyer wins by the default policy.
        var expiring = await (await OpenAsync(flow, order.Id, second)).ReadAsync<DisputeResponse>(
            HttpStatusCode.Created
        );
        await (await flow.Client.PostJsonAsync("/v1/sandbox/clock/advance", new { hours = 73 })).ReadJsonAsync();
        await flow.RunJobAsync<DisputeDeadlineJob>();
        // The job here or the background worker (whichever claimed it first) settles it.
        var cancelled = await flow.WaitForStatusAsync(order.Id, OrderStatus.Cancelled);
        var expired = await (await flow.Client.GetAsync($"/v1/disputes/{expiring.Id}")).ReadAsync<DisputeResponse>();
        Assert.Equal((DisputeStatus.Expired, 5_000L), (expired.Status, expired.RefundedAmount));
        Assert.Equal((OrderStatus.Cancelled, 0L, 10_000L), (cancelled.Status, cancelled.Held, cancelled.Refunded));
        Assert.Equal([MilestoneStatus.Refunded, MilestoneStatus.Refunded], cancelled.Milestones.Select(m => m.Status));
        Assert.Equal(2, (await flow.RefundsAsync(order.Id)).Count(r => r.Status == RefundStatus.Succeeded));
        Assert.Equal(0, (await flow.GetWalletAsync(wallet.Id)).Balance);
        await LedgerInvariants.AssertAsync(factory);
    }

    private static Task<HttpResponseMessage> OpenAsync(OrderFlow flow, string orderId, string? milestoneId) =>
        flow.Client.PostJsonAsync(
            $"/v1/orders/{orderId}/disputes",
            new
            {
                reason = "not_as_described",
                text = "The build is half done.",
                milestone_id = milestoneId,
            }
        );

    private static async Task<OrderResponse> MilestoneActAsync(
        OrderFlow flow,
        string orderId,
        string milestoneId,
        string action
    ) =>
        await (
            await flow.Client.PostAsync($"/v1/orders/{orderId}/milestones/{milestoneId}/{action}", null)
        ).ReadAsync<OrderResponse>();

    private static async Task<OrderResponse> CreateAsync(OrderFlow flow, params long[] amounts) =>
        await (
            await flow.Client.PostJsonAsync(
                "/v1/orders",
                new
                {
                    name = "Website",
                    amount = amounts.Sum(),
                    currency = "EUR",
                    buyer_id = flow.Buyer.Id,
                    seller_id = flow.Seller.Id,
                    milestones = amounts.Select((a, i) => new { name = $"Stage {i + 1}", amount = a }).ToArray(),
                }
            )
        ).ReadAsync<OrderResponse>(HttpStatusCode.Created);
}
