using System.Net;
using Truust.Api.Orders;
using Truust.Api.Payins;
using Truust.Api.Tests.Contract;
using Truust.Api.Tests.Infrastructure;
using Truust.Domain.Orders;
using Truust.Domain.Payments;
using static Truust.Api.Tests.Orders.OrderFlow;

namespace Truust.Api.Tests.Orders;

/// <summary>
/// Orders paid in stages: one payin funds every milestone; each is validated and released (its own payout, its part
/// of the fee), refunded or cancelled on its own; the order ends RELEASED when nothing is held and something was
/// released. Bad milestones are refused and change nothing.
/// </summary>
public sealed class MilestoneTests(TruustApiFactory factory) : IClassFixture<TruustApiFactory>
{
    [Fact]
    public async Task A_wire_paid_order_in_milestones_30_30_40_is_released_refunded_and_cancelled_stage_by_stage()
    {
        using var flow = await StartAsync(factory, feePercentBp: 500); // 5 %: 50.00 of 1,000.00
        var sellerWallet = await flow.Client.CreateWalletAsync(flow.Seller.Id);
        var order = await CreateAsync(
            flow,
            100_000,
            new { name = "Design", amount = 30_000 },
            new { name = "Build", amount = 30_000 },
            new { name = "Launch", amount = 40_000 }
        );
        var payin = await flow.CreatePayinAsync(order.Id, "BANKWIRE");
        await flow.SendWireAsync(payin.Bankwire!.Reference, 100_000, TestIbans.Netherlands);
        await flow.ActAsync(order.Id, "accept");
        await flow.CreatePayoutAsync(order.Id, walletId: sellerWallet.Id);
        var (design, build) = (order.Milestones[0].Id, order.Milestones[1].Id);

        // Milestone 1 validated: 300.00 less its 15.00 share of the fee goes to the seller at once.
        var afterFirst = await MilestoneActAsync(flow, order.Id, design, "validate");
        Assert.Equal(28_500, (await flow.GetWalletAsync(sellerWallet.Id)).Balance);
        Assert.Equal(
            (OrderStatus.PendingValidate, 70_000L, MilestoneStatus.Released, 30_000L),
            (afterFirst.Status, afterFirst.Held, afterFirst.Milestones[0].Status, afterFirst.Milestones[0].Released)
        );
        Assert.Equal(["deliver", "validate", "refund"], afterFirst.Milestones[1].AllowedActions);

        // Milestone 2: 100.00 back to the payer's IBAN, then the 200.00 left released (its fee share shrinks to 10.00).
        var refund = await (
            await flow.Client.PostJsonAsync(
                $"/v1/orders/{order.Id}/milestones/{build}/refunds",
                new { amount = 10_000, reason = "scope cut" }
            )
        ).ReadAsync<RefundResponse>(HttpStatusCode.Created);
        Assert.Equal(
            (PayinType.Bankwire, RefundStatus.Succeeded, 10_000L),
            (refund.Rail, refund.Status, refund.Amount)
        );
        await MilestoneActAsync(flow, order.Id, build, "validate");
        Assert.Equal(28_500 + 19_000, (await flow.GetWalletAsync(sellerWallet.Id)).Balance);

        // Milestone 3 cancelled with the order: only the unreleased 400.00 goes back; the order ends RELEASED.
        var ended = await flow.ActAsync(order.Id, "cancel");

        Assert.Equal((OrderStatus.Released, 0L, 50_000L), (ended.Status, ended.Held, ended.Refunded));
        Assert.Equal(
            [MilestoneStatus.Released, MilestoneStatus.Released, MilestoneStatus.Cancelled],
            ended.Milestones.Select(m => m.Status)
        );
        Assert.Equal([30_000L, 20_000L, 0L], ended.Milestones.Select(m => m.Released));
        Assert.Equal([0L, 10_000L, 40_000L], ended.Milestones.Select(m => m.Refunded));
        Assert.Equal(["refund"], ended.AllowedActions); // a refund after release, below
        Assert.Equal(2, await factory.CountAsync("payouts", $"order_id = '{order.Id}' AND status = 'PAID'"));
        Assert.Equal(0, await factory.CountAsync("payouts", $"order_id = '{order.Id}' AND status <> 'PAID'"));
        var refunds = await flow.RefundsAsync(order.Id);
        Assert.Equal([10_000L, 40_000L], refunds.Select(r => r.Amount));
        Assert.All(refunds, r => Assert.Equal((PayinType.Bankwire, RefundStatus.Succeeded), (r.Rail, r.Status)));
        Assert.Equal(
            2,
            await factory.CountAsync(
                "simulator.bank_transfers",
                $"iban = '{TestIbans.Netherlands}' AND reference IN ('{refunds[0].Id}', '{refunds[1].Id}')"
            )
        );
        var trail = Trail(await flow.LedgerAsync(order.Id));
        Assert.Equal(["FEE 1500", "FEE 1000"], trail.Where(t => t.StartsWith("FEE ")).Select(Short));
        Assert.Equal("PENDING_VALIDATE->RELEASED:finish_milestones", (await flow.StepsAsync(order.Id))[^1]);

        // A refund after release of an order paid in milestones claws back from the wallet both releases paid.
        var after = await (
            await flow.Client.PostJsonAsync($"/v1/orders/{order.Id}/refunds", new { amount = 6_000 })
        ).ReadAsync<RefundResponse>(HttpStatusCode.Created);
        Assert.Equal((PayinType.Bankwire, RefundStatus.Succeeded), (after.Rail, after.Status));
        Assert.Equal(28_500 + 19_000 - 6_000, (await flow.GetWalletAsync(sellerWallet.Id)).Balance);
        var refunded = await flow.GetOrderAsync(order.Id);
        Assert.Equal((OrderStatus.Released, 0L, 56_000L), (refunded.Status, refunded.Held, refunded.Refunded));
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task Percent_milestones_33_33_33_33_33_34_on_100_01_lose_no_cent()
    {
        using var flow = await StartAsync(factory, feePercentBp: 500);
        var sellerWallet = await flow.Client.CreateWalletAsync(flow.Seller.Id);
        var order = await CreateAsync(
            flow,
            10_001,
            new { name = "One", basis_points = 3_333 },
            new { name = "Two", basis_points = 3_333 },
            new { name = "Three", basis_points = 3_334 }
        );
        Assert.Equal([3_333L, 3_333L, 3_335L], order.Milestones.Select(m => m.Amount));
        await flow.PayCardAsync((await flow.CreatePayinAsync(order.Id, "ADDON")).Id, SuccessCard);
        await flow.ActAsync(order.Id, "accept");
        await flow.CreatePayoutAsync(order.Id, walletId: sellerWallet.Id);

        OrderResponse? last = null;
        foreach (var milestone in order.Milestones)
        {
            last = await MilestoneActAsync(flow, order.Id, milestone.Id, "validate");
        }

        var fee = Trail(await flow.LedgerAsync(order.Id))
            .Where(t => t.StartsWith("FEE "))
            .Sum(t => long.Parse(t[(t.LastIndexOf(' ') + 1)..]));
        Assert.Equal((OrderStatus.Released, 0L), (last!.Status, last.Held));
        Assert.Equal(order.FeeAmount, fee);
        Assert.Equal(10_001, (await flow.GetWalletAsync(sellerWallet.Id)).Balance + fee);
        Assert.Equal(3, await factory.CountAsync("payouts", $"order_id = '{order.Id}' AND status = 'PAID'"));
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_delivered_milestone_is_validated_by_the_system_when_its_window_ends_on_the_platform_clock()
    {
        using var flow = await StartAsync(factory);
        var sellerWallet = await flow.Client.CreateWalletAsync(flow.Seller.Id);
        var order = await CreateAsync(
            flow,
            5_000,
            new
            {
                name = "Prototype",
                amount = 2_000,
                inspection_hours = 48,
            },
            new { name = "Series", amount = 3_000 }
        );
        await flow.PayCardAsync((await flow.CreatePayinAsync(order.Id, "ADDON")).Id, SuccessCard);
        await flow.ActAsync(order.Id, "accept");
        await flow.CreatePayoutAsync(order.Id, walletId: sellerWallet.Id);
        var prototype = order.Milestones[0].Id;

        var delivered = (await MilestoneActAsync(flow, order.Id, prototype, "deliver")).Milestones[0];
        Assert.Equal(MilestoneStatus.Delivered, delivered.Status);
        Assert.Equal(delivered.DeliveredAt!.Value.AddHours(48), delivered.InspectionEndsAt);
        await AdvanceClockAsync(flow, hours: 47);
        await flow.RunJobAsync<MilestoneInspectionJob>();
        Assert.Equal(MilestoneStatus.Delivered, (await flow.GetOrderAsync(order.Id)).Milestones[0].Status);

        await AdvanceClockAsync(flow, hours: 1);
        await flow.RunJobAsync<MilestoneInspectionJob>();
        // The clock advance also wakes the job's own worker: whichever ran it, wait for its commit.
        var after = await ReleasedAsync(flow, order.Id, 0);

        Assert.Equal(
            (MilestoneStatus.Released, 2_000L, MilestoneStatus.Pending, OrderStatus.PendingValidate, 3_000L),
            (
                after.Milestones[0].Status,
                after.Milestones[0].Released,
                after.Milestones[1].Status,
                after.Status,
                after.Held
            )
        );
        Assert.Equal(2_000, (await flow.GetWalletAsync(sellerWallet.Id)).Balance);
        Assert.Superset(
            new HashSet<string> { "order.milestone.delivered", "order.milestone.released" },
            await EventContractTests.AssertEventsMatchTheirFamiliesAsync(flow.Client)
        );
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task Bad_milestones_and_unknown_or_foreign_milestone_ids_are_clear_problems_that_change_nothing()
    {
        using var flow = await StartAsync(factory);
        using var other = await StartAsync(factory);
        var sellerWallet = await flow.Client.CreateWalletAsync(flow.Seller.Id);
        (string Code, object[] Milestones)[] bad =
        [
            ("invalid_milestones", [new { name = "A", amount = 300 }, new { name = "B", amount = 300 }]),
            (
                "invalid_milestones",
                [new { name = "A", basis_points = 5_000 }, new { name = "B", basis_points = 4_000 }]
            ),
            ("invalid_milestones", [new { name = "A", amount = 500 }, new { name = "B", basis_points = 5_000 }]),
            (
                "validation_failed",
                [
                    new
                    {
                        name = "A",
                        amount = 500,
                        basis_points = 5_000,
                    },
                    new { name = "B", amount = 500 },
                ]
            ),
            ("validation_failed", [new { name = "A", amount = -500 }, new { name = "B", amount = 1_500 }]),
            ("validation_failed", [new { name = " ", amount = 500 }, new { name = "B", amount = 500 }]),
        ];
        foreach (var (code, milestones) in bad)
        {
            var problem = await factory.AssertUnchangedAsync(async () =>
                await (await PostOrderAsync(flow, 1_000, milestones)).ReadProblemAsync(
                    HttpStatusCode.UnprocessableEntity,
                    code
                )
            );
            Assert.Contains(problem.Errors.Keys, k => k.StartsWith("milestones", StringComparison.Ordinal));
        }

        var order = await CreateAsync(flow, 1_000, new { name = "A", amount = 400 }, new { name = "B", amount = 600 });
        await flow.PayCardAsync((await flow.CreatePayinAsync(order.Id, "ADDON")).Id, SuccessCard);
        await flow.ActAsync(order.Id, "accept");
        await flow.CreatePayoutAsync(order.Id, walletId: sellerWallet.Id);
        var foreign = await CreateAsync(other, 1_000, new { name = "X", amount = 1_000 });

        foreach (var unknown in new[] { "mil_unknown", foreign.Milestones[0].Id })
        {
            await factory.AssertUnchangedAsync(async () =>
                await (
                    await flow.Client.PostAsync($"/v1/orders/{order.Id}/milestones/{unknown}/validate", null)
                ).ReadProblemAsync(HttpStatusCode.NotFound, "resource_missing")
            );
        }

        await factory.AssertUnchangedAsync(async () =>
            await (
                await flow.Client.PostAsync(
                    $"/v1/orders/{foreign.Id}/milestones/{foreign.Milestones[0].Id}/deliver",
                    null
                )
            ).ReadProblemAsync(HttpStatusCode.NotFound, "resource_missing")
        );
        // The whole order is not validated, delivered or refunded at once: its milestones are.
        foreach (var action in new[] { "validate", "deliver" })
        {
            await factory.AssertUnchangedAsync(async () =>
                await (await flow.PostActionAsync(order.Id, action)).ReadProblemAsync(
                    HttpStatusCode.Conflict,
                    "order_has_milestones"
                )
            );
        }

        await factory.AssertUnchangedAsync(async () =>
            await (
                await flow.Client.PostJsonAsync($"/v1/orders/{order.Id}/refunds", new { amount = 100 })
            ).ReadProblemAsync(HttpStatusCode.Conflict, "order_has_milestones")
        );
        await factory.AssertUnchangedAsync(async () =>
            await (
                await flow.Client.PostJsonAsync(
                    $"/v1/orders/{order.Id}/disputes",
                    new { reason = "damaged", text = "Broken." }
                )
            ).ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "milestone_required")
        );
        await factory.AssertUnchangedAsync(async () =>
            await (
                await flow.Client.PostJsonAsync(
                    $"/v1/orders/{order.Id}/milestones/{order.Milestones[0].Id}/refunds",
                    new { amount = 401 }
                )
            ).ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "refund_exceeds_held")
        );
        await LedgerInvariants.AssertAsync(factory);
    }

    private static async Task<OrderResponse> ReleasedAsync(OrderFlow flow, string orderId, int index)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var order = await flow.GetOrderAsync(orderId);
            if (order.Milestones[index].Status == MilestoneStatus.Released || DateTime.UtcNow > deadline)
            {
                // Read again: the order and its milestones are two reads, and the first may predate the commit.
                return await flow.GetOrderAsync(orderId);
            }

            await Task.Delay(25);
        }
    }

    private static async Task AdvanceClockAsync(OrderFlow flow, int hours) =>
        await (await flow.Client.PostJsonAsync("/v1/sandbox/clock/advance", new { hours })).ReadJsonAsync();

    private static string Short(string trail) => $"{trail.Split(' ')[0]} {trail.Split(' ')[^1]}";

    private static async Task<OrderResponse> MilestoneActAsync(
        OrderFlow flow,
        string orderId,
        string milestoneId,
        string action
    ) =>
        await (
            await flow.Client.PostAsync($"/v1/orders/{orderId}/milestones/{milestoneId}/{action}", null)
        ).ReadAsync<OrderResponse>();

    private static Task<HttpResponseMessage> PostOrderAsync(OrderFlow flow, long amountMinor, object[] milestones) =>
        flow.Client.PostJsonAsync(
            "/v1/orders",
            new
            {
                name = "Website",
                amount = amountMinor,
                currency = "EUR",
                buyer_id = flow.Buyer.Id,
                seller_id = flow.Seller.Id,
                milestones,
            }
        );

    private static async Task<OrderResponse> CreateAsync(OrderFlow flow, long amountMinor, params object[] milestones)
    {
        var order = await (await PostOrderAsync(flow, amountMinor, milestones)).ReadAsync<OrderResponse>(
            HttpStatusCode.Created
        );
        Assert.Equal(milestones.Length, order.Milestones.Count);
        Assert.All(order.Milestones, m => Assert.Equal((MilestoneStatus.Pending, 0L), (m.Status, m.Held)));
        return order;
    }
}
