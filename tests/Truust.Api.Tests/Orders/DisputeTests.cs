using System.Net;
using Truust.Api.Disputes;
using Truust.Api.Orders;
using Truust.Api.Tests.Contract;
using Truust.Api.Tests.Infrastructure;
using Truust.Api.Wallets;
using Truust.Domain.Disputes;
using Truust.Domain.Orders;
using Truust.Domain.Payments;

namespace Truust.Api.Tests.Orders;

/// <summary>
/// Inspection windows and disputes through the API on real PostgreSQL: the window's end releases with actor
/// <c>system</c>; a partial refund settles back to the card with the fee pro rata; a silent seller loses; an open
/// dispute holds the order; bad input changes nothing.
/// </summary>
public sealed class DisputeTests(TruustApiFactory factory) : IClassFixture<TruustApiFactory>
{
    private const long Amount = 20_000;

    [Fact]
    public async Task The_end_of_the_inspection_window_releases_a_delivered_order_with_actor_system()
    {
        using var flow = await OrderFlow.StartAsync(factory);
        var (order, wallet) = await DeliveredAsync(flow, autoValidate: true);
        Assert.Equal(order.DeliveredAt!.Value.AddHours(72), order.InspectionEndsAt);
        Assert.Equal(new TrackingResponse("DHL", "JD0146", null), order.Tracking);

        await AdvanceClockAsync(flow, hours: 71);
        await flow.RunJobAsync<InspectionJob>();
        Assert.Equal(OrderStatus.PendingValidate, (await flow.GetOrderAsync(order.Id)).Status);

        await AdvanceClockAsync(flow, hours: 1);
        await flow.RunJobAsync<InspectionJob>();
        await flow.WaitForStatusAsync(order.Id, OrderStatus.Released);
        var validation = (await flow.HistoryAsync(order.Id)).Single(c => c.Action == "validate");
        Assert.Equal(OrderActor.System, validation.Actor);
        Assert.Contains("inspection window ended", validation.Reason);
        Assert.Equal(Amount, (await flow.GetWalletAsync(wallet)).Balance);
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_partial_refund_the_buyer_accepts_goes_back_to_the_card_and_the_fee_shrinks_pro_rata()
    {
        using var flow = await OrderFlow.StartAsync(factory, feePercentBp: 500); // 5 %: 10.00 of 200.00
        var (order, wallet) = await DeliveredAsync(flow, autoValidate: true);
        var dispute = await OpenAsync(flow, order.Id);
        Assert.Equal((DisputeStatus.AwaitingSeller, "seller"), (dispute.Status, dispute.Awaiting));
        Assert.Equal(dispute.CreatedAt.AddHours(72), dispute.DeadlineAt);

        var offered = await (
            await flow.Client.PostJsonAsync(
                $"/v1/disputes/{dispute.Id}/answer",
                new
                {
                    type = "PARTIAL_REFUND",
                    amount = 6_000,
                    text = "A scratch; 60.00 back.",
                }
            )
        ).ReadAsync<DisputeResponse>();
        Assert.Equal((DisputeStatus.AwaitingBuyer, 6_000L), (offered.Status, offered.OfferedAmount));
        Assert.Equal(["accept", "reject", "resolve"], offered.AllowedActions);

        var accepted = await (
            await flow.Client.PostJsonAsync($"/v1/disputes/{dispute.Id}/accept", new { text = "Fine." })
        ).ReadAsync<DisputeResponse>();
        Assert.Equal(
            (DisputeStatus.Resolved, 6_000L, "accept"),
            (accepted.Status, accepted.RefundedAmount, accepted.Outcome)
        );

        var released = await flow.WaitForStatusAsync(order.Id, OrderStatus.Released);
        Assert.Equal((6_000L, 0L, (string?)null), (released.Refunded, released.Held, released.OpenDisputeId));
        var refund = Assert.Single(await flow.RefundsAsync(order.Id));
        Assert.Equal((6_000L, PayinType.Addon, RefundStatus.Succeeded), (refund.Amount, refund.Rail, refund.Status));
        // 140.00 left: the 10.00 fee shrinks to 140/200 of it, 7.00; the seller gets 133.00.
        Assert.Equal(13_300, (await flow.GetWalletAsync(wallet)).Balance);
        var trail = OrderFlow.Trail(await flow.LedgerAsync(order.Id));
        Assert.Contains(trail, t => t.StartsWith("FEE ") && t.EndsWith(" 700"));
        Assert.Contains(trail, t => t.StartsWith("REFUND ") && t.EndsWith(" 6000"));
        Assert.Equal(
            ["dispute.opened", "dispute.seller_answered", "dispute.buyer_accepted", "dispute.settled"],
            await EventTypesAsync(dispute.Id)
        );
        // Every event of the lifecycle (order, payin, delivery, dispute, refund, payout) matches its family schema.
        Assert.Superset(
            new HashSet<string> { "order.delivered", "dispute.settled", "refund.succeeded" },
            await EventContractTests.AssertEventsMatchTheirFamiliesAsync(flow.Client)
        );
        var validation = (await flow.HistoryAsync(order.Id)).Single(c => c.Action == "validate");
        Assert.Equal(OrderActor.System, validation.Actor);
        Assert.Contains(dispute.Id, validation.Reason);
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_seller_silent_past_the_deadline_loses_and_the_buyer_is_refunded_in_full()
    {
        using var flow = await OrderFlow.StartAsync(factory);
        using var other = await OrderFlow.StartAsync(factory);
        var (order, wallet) = await DeliveredAsync(flow, autoValidate: false, sellerHours: 48);
        var (otherOrder, _) = await DeliveredAsync(other, autoValidate: false, sellerHours: 48);
        var dispute = await OpenAsync(flow, order.Id);
        var otherDispute = await OpenAsync(other, otherOrder.Id);

        await AdvanceClockAsync(flow, hours: 47);
        await flow.RunJobAsync<DisputeDeadlineJob>();
        Assert.Equal(DisputeStatus.AwaitingSeller, (await GetDisputeAsync(flow, dispute.Id)).Status);

        await AdvanceClockAsync(flow, hours: 1);
        await flow.RunJobAsync<DisputeDeadlineJob>();
        var cancelled = await flow.WaitForStatusAsync(order.Id, OrderStatus.Cancelled);
        Assert.Equal((Amount, 0L), (cancelled.Refunded, cancelled.Held));
        var expired = await GetDisputeAsync(flow, dispute.Id);
        Assert.Equal(
            (DisputeStatus.Expired, Amount, "expire"),
            (expired.Status, expired.RefundedAmount, expired.Outcome)
        );
        Assert.Equal(OrderActor.System, (await flow.HistoryAsync(order.Id)).Last().Actor);
        Assert.Equal(0, (await flow.GetWalletAsync(wallet)).Balance);
        Assert.Equal(RefundStatus.Succeeded, Assert.Single(await flow.RefundsAsync(order.Id)).Status);
        // The other platform's clock did not move: its dispute still waits for its seller.
        Assert.Equal(DisputeStatus.AwaitingSeller, (await GetDisputeAsync(other, otherDispute.Id)).Status);
        Assert.Equal(OrderStatus.PendingValidate, (await other.GetOrderAsync(otherOrder.Id)).Status);
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task An_open_dispute_refuses_validate_and_cancel_with_allowed_actions_and_bad_input_changes_nothing()
    {
        using var flow = await OrderFlow.StartAsync(factory);
        using var other = await OrderFlow.StartAsync(factory);
        var (order, _) = await DeliveredAsync(flow, autoValidate: true);
        var (otherOrder, _) = await DeliveredAsync(other, autoValidate: true);
        var dispute = await OpenAsync(flow, order.Id);

        var held = await flow.GetOrderAsync(order.Id);
        Assert.Equal(dispute.Id, held.OpenDisputeId);
        Assert.DoesNotContain("validate", held.AllowedActions);
        Assert.DoesNotContain("cancel", held.AllowedActions);
        foreach (var action in new[] { "validate", "cancel" })
        {
            var problem = await factory.AssertUnchangedAsync(async () =>
                await (await flow.PostActionAsync(order.Id, action)).ReadProblemAsync(
                    HttpStatusCode.Conflict,
                    "dispute_open"
                )
            );
            Assert.Contains(dispute.Id, problem.Detail);
            Assert.Equal(0, problem.Body.GetProperty("allowed_actions").GetArrayLength());
        }

        await Refused(flow.PostActionAsync(order.Id, "deliver"), HttpStatusCode.Conflict, "already_delivered");
        await Refused(
            flow.Client.PostJsonAsync($"/v1/orders/{order.Id}/disputes", new { reason = "again" }),
            HttpStatusCode.Conflict,
            "dispute_open"
        );
        await Refused(
            flow.Client.PostJsonAsync($"/v1/disputes/{dispute.Id}/resolve", new { refund_amount = -1 }),
            HttpStatusCode.UnprocessableEntity,
            "validation_failed"
        );
        await Refused(
            flow.Client.PostJsonAsync($"/v1/disputes/{dispute.Id}/resolve", new { refund_amount = long.MaxValue }),
            HttpStatusCode.UnprocessableEntity,
            "validation_failed"
        );
        await Refused(
            flow.Client.PostJsonAsync($"/v1/disputes/{dispute.Id}/resolve", new { refund_amount = Amount + 1 }),
            HttpStatusCode.UnprocessableEntity,
            "refund_exceeds_held"
        );
        await Refused(
            flow.Client.PostJsonAsync($"/v1/disputes/{dispute.Id}/answer", new { type = "PARTIAL_REFUND", amount = 0 }),
            HttpStatusCode.UnprocessableEntity,
            "validation_failed"
        );
        await Refused(
            flow.Client.PostJsonAsync(
                $"/v1/disputes/{dispute.Id}/answer",
                new { type = "PARTIAL_REFUND", amount = Amount }
            ),
            HttpStatusCode.UnprocessableEntity,
            "invalid_amount"
        );
        // The buyer's move while the dispute waits for the seller: the wrong party.
        var wrongParty = await Refused(
            flow.Client.PostJsonAsync($"/v1/disputes/{dispute.Id}/accept", new { }),
            HttpStatusCode.Conflict,
            "invalid_transition"
        );
        Assert.Contains(
            "resolve",
            wrongParty.Body.GetProperty("allowed_actions").EnumerateArray().Select(a => a.GetString())
        );
        await Refused(flow.Client.GetAsync("/v1/disputes/dsp_unknown"), HttpStatusCode.NotFound, "resource_missing");
        await Refused(
            other.Client.PostJsonAsync($"/v1/disputes/{dispute.Id}/resolve", new { refund_amount = 0 }),
            HttpStatusCode.NotFound,
            "resource_missing"
        );
        await Refused(
            other.Client.PostJsonAsync($"/v1/orders/{order.Id}/disputes", new { reason = "not mine" }),
            HttpStatusCode.NotFound,
            "resource_missing"
        );
        await Refused(
            flow.Client.PostJsonAsync(
                $"/v1/orders/{order.Id}/disputes",
                new { reason = "", links = new[] { "ftp://x" } }
            ),
            HttpStatusCode.UnprocessableEntity,
            "validation_failed"
        );

        // The platform decides 0 back: the order is validated by the system and released in full.
        var resolved = await (
            await flow.Client.PostJsonAsync($"/v1/disputes/{dispute.Id}/resolve", new { refund_amount = 0 })
        ).ReadAsync<DisputeResponse>();
        Assert.Equal((DisputeStatus.Resolved, 0L), (resolved.Status, resolved.RefundedAmount));
        await flow.WaitForStatusAsync(order.Id, OrderStatus.Released);
        var page = await flow.Client.GetJsonAsync<Truust.Api.Http.Page<DisputeResponse>>(
            $"/v1/orders/{order.Id}/disputes"
        );
        Assert.Equal(dispute.Id, Assert.Single(page.Data).Id);

        var untouched = await other.GetOrderAsync(otherOrder.Id);
        Assert.Equal(
            (OrderStatus.PendingValidate, Amount, (string?)null),
            (untouched.Status, untouched.Held, untouched.OpenDisputeId)
        );
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task The_platform_release_policy_is_the_default_of_new_orders_and_bad_policies_are_refused()
    {
        using var flow = await OrderFlow.StartAsync(factory);
        var platform = await (
            await flow.Client.PatchJsonAsync(
                "/v1/platform",
                new
                {
                    release_policy = new
                    {
                        inspection_hours = 24,
                        auto_validate = true,
                        silence_winner = "BUYER",
                    },
                }
            )
        ).ReadJsonAsync();
        Assert.Equal(24, platform.GetProperty("release_policy").GetProperty("inspection_hours").GetInt32());
        var order = await flow.CreateOrderAsync();
        Assert.Equal(new Platforms.ReleasePolicyResponse(24, true, 72, 72, SilenceWinner.Buyer), order.ReleasePolicy);
        await Refused(
            flow.Client.PatchJsonAsync("/v1/platform", new { release_policy = new { inspection_hours = -1 } }),
            HttpStatusCode.UnprocessableEntity,
            "validation_failed"
        );
        await Refused(
            flow.Client.PatchJsonAsync("/v1/platform", new { release_policy = new { buyer_response_hours = 0 } }),
            HttpStatusCode.UnprocessableEntity,
            "validation_failed"
        );
    }

    /// <summary>Paid by card, accepted with a WALLET payout, delivered with tracking: PENDING_VALIDATE.</summary>
    private static async Task<(OrderResponse Order, string WalletId)> DeliveredAsync(
        OrderFlow flow,
        bool autoValidate,
        int sellerHours = 72
    )
    {
        var created = await (
            await flow.Client.PostJsonAsync(
                "/v1/orders",
                new
                {
                    name = "Road bike",
                    amount = Amount,
                    currency = "EUR",
                    buyer_id = flow.Buyer.Id,
                    seller_id = flow.Seller.Id,
                    release_policy = new
                    {
                        inspection_hours = 72,
                        auto_validate = autoValidate,
                        seller_response_hours = sellerHours,
                    },
                }
            )
        ).ReadAsync<OrderResponse>(HttpStatusCode.Created);
        var payin = await flow.CreatePayinAsync(created.Id, "ADDON");
        await flow.PayCardAsync(payin.Id, OrderFlow.SuccessCard);
        await flow.ActAsync(created.Id, "accept");
        var wallet = await flow.Client.CreateWalletAsync(flow.Seller.Id);
        await flow.CreatePayoutAsync(created.Id, walletId: wallet.Id);
        var delivered = await (
            await flow.Client.PostJsonAsync(
                $"/v1/orders/{created.Id}/deliver",
                new { tracking = new { carrier = "DHL", number = "JD0146" } }
            )
        ).ReadAsync<OrderResponse>();
        Assert.Equal((OrderStatus.PendingValidate, Amount), (delivered.Status, delivered.Held));
        Assert.Contains("open_dispute", delivered.AllowedActions);
        return (delivered, wallet.Id);
    }

    private static async Task<DisputeResponse> OpenAsync(OrderFlow flow, string orderId) =>
        await (
            await flow.Client.PostJsonAsync(
                $"/v1/orders/{orderId}/disputes",
                new
                {
                    reason = "damaged",
                    text = "The frame is cracked.",
                    links = new[] { "https://example.com/photo.jpg" },
                }
            )
        ).ReadAsync<DisputeResponse>(HttpStatusCode.Created);

    /// <summary>Advances the platform's sandbox clock (its deadline workers wake).</summary>
    private static async Task AdvanceClockAsync(OrderFlow flow, int hours) =>
        await (await flow.Client.PostJsonAsync("/v1/sandbox/clock/advance", new { hours })).ReadJsonAsync();

    private static Task<DisputeResponse> GetDisputeAsync(OrderFlow flow, string id) =>
        flow.Client.GetJsonAsync<DisputeResponse>($"/v1/disputes/{id}");

    private Task<Problem> Refused(Task<HttpResponseMessage> request, HttpStatusCode status, string code) =>
        factory.AssertUnchangedAsync(async () => await (await request).ReadProblemAsync(status, code));

    private async Task<List<string>> EventTypesAsync(string objectId)
    {
        await using var connection = await factory.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT type FROM events WHERE object_id = @id ORDER BY sequence";
        command.Parameters.AddWithValue("id", objectId);
        var types = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            types.Add(reader.GetString(0));
        }

        return types;
    }
}
