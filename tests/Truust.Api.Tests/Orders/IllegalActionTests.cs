using System.Net;
using Truust.Api.Tests.Infrastructure;
using Truust.Domain.Orders;
using static Truust.Api.Tests.Orders.OrderFlow;

namespace Truust.Api.Tests.Orders;

/// <summary>
/// Actions the transition table does not allow: each is a 409 <c>invalid_transition</c> naming the current status
/// and what is allowed now, and changes nothing at all.
/// </summary>
public sealed class IllegalActionTests(TruustApiFactory factory) : IClassFixture<TruustApiFactory>
{
    [Theory]
    [InlineData("accept")]
    [InlineData("reject")]
    [InlineData("validate")]
    [InlineData("block")]
    [InlineData("unblock")]
    public async Task An_action_an_unpaid_order_does_not_allow_is_409_with_its_status_and_allowed_actions(string action)
    {
        using var flow = await StartAsync(factory);
        // Created with its buyer: PENDING_PUBLISH, "buyer identified, pending payment" (before: DRAFT).
        var order = await flow.CreateOrderAsync();

        var problem = await RefusedAsync(() => flow.PostActionAsync(order.Id, action));

        AssertBody(problem, "PENDING_PUBLISH", ["pay", "cancel"]);
        Assert.Contains($"'{action}' is not allowed", problem.Detail);
        Assert.Equal(OrderStatus.PendingPublish, (await flow.GetOrderAsync(order.Id)).Status);
        Assert.Equal(["DRAFT->PENDING_PUBLISH:identify_buyer"], await flow.StepsAsync(order.Id));
    }

    [Fact]
    public async Task The_operator_is_told_the_actions_the_operator_may_take()
    {
        using var flow = await StartAsync(factory);
        using var operatorClient = factory.OperatorClient();
        var order = await flow.CreateOrderAsync();

        var problem = await RefusedAsync(() => flow.PostActionAsync(order.Id, "validate", operatorClient));

        AssertBody(problem, "PENDING_PUBLISH", ["cancel"]);
    }

    [Fact]
    public async Task A_paid_order_refuses_a_second_payin_a_payout_before_acceptance_validation_and_a_refund()
    {
        using var flow = await StartAsync(factory);
        var sellerWallet = await flow.Client.CreateWalletAsync(flow.Seller.Id);
        var order = await flow.PaidOrderAsync(5_000);
        string[] published = ["accept", "reject", "cancel", "refund"];

        AssertBody(await RefusedAsync(() => flow.PostPayinAsync(order.Id, "ADDON")), "PUBLISHED", published);
        AssertBody(
            await RefusedAsync(() =>
                flow.Client.PostJsonAsync(
                    "/v1/payouts",
                    new
                    {
                        order_id = order.Id,
                        type = "WALLET",
                        wallet_id = sellerWallet.Id,
                    }
                )
            ),
            "PUBLISHED",
            published
        );
        AssertBody(await RefusedAsync(() => flow.PostActionAsync(order.Id, "validate")), "PUBLISHED", published);

        await flow.ActAsync(order.Id, "accept");
        AssertBody(
            await RefusedAsync(() => flow.PostActionAsync(order.Id, "accept")),
            "ACCEPTED",
            ["create_payout", "deliver", "cancel", "refund"]
        );
        AssertBody(
            await RefusedAsync(() => flow.PostActionAsync(order.Id, "reject")),
            "ACCEPTED",
            ["create_payout", "deliver", "cancel", "refund"]
        );

        var current = await flow.GetOrderAsync(order.Id);
        Assert.Equal((OrderStatus.Accepted, 5_000L), (current.Status, current.Held));
        Assert.Single(await flow.LedgerAsync(order.Id));
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_released_order_allows_nothing_but_a_refund_any_more()
    {
        using var flow = await StartAsync(factory);
        var sellerWallet = await flow.Client.CreateWalletAsync(flow.Seller.Id);
        var (order, _) = await flow.AwaitingValidationAsync(2_000, walletId: sellerWallet.Id);
        await flow.ActAsync(order.Id, "validate");
        await flow.WaitForStatusAsync(order.Id, OrderStatus.Released);

        foreach (var action in new[] { "accept", "reject", "validate", "cancel", "block", "unblock" })
        {
            var problem = await RefusedAsync(() => flow.PostActionAsync(order.Id, action));
            AssertBody(problem, "RELEASED", ["refund"]);
            Assert.Contains("Allowed now: refund.", problem.Detail);
        }

        AssertBody(await RefusedAsync(() => flow.PostPayinAsync(order.Id, "ADDON")), "RELEASED", ["refund"]);
        Assert.Equal(2_000, (await flow.GetWalletAsync(sellerWallet.Id)).Balance);
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_cancelled_order_cannot_be_cancelled_again_or_paid()
    {
        using var flow = await StartAsync(factory);
        var order = await flow.PaidOrderAsync(1_500);
        await flow.ActAsync(order.Id, "cancel");

        AssertBody(await RefusedAsync(() => flow.PostActionAsync(order.Id, "cancel")), "CANCELLED", []);
        AssertBody(await RefusedAsync(() => flow.PostPayinAsync(order.Id, "ADDON")), "CANCELLED", []);
        Assert.Single(await flow.RefundsAsync(order.Id));
        await LedgerInvariants.AssertAsync(factory);
    }

    /// <summary>Sends the request, asserts a 409 invalid_transition and that no row anywhere changed.</summary>
    private Task<Problem> RefusedAsync(Func<Task<HttpResponseMessage>> request) =>
        factory.AssertUnchangedAsync(async () =>
            await (await request()).ReadProblemAsync(HttpStatusCode.Conflict, "invalid_transition")
        );

    private static void AssertBody(Problem problem, string status, string[] allowed)
    {
        Assert.Equal(409, problem.Body.GetProperty("status").GetInt32());
        Assert.Equal(status, problem.Body.GetProperty("current_status").GetString());
        Assert.Equal(allowed, problem.Body.GetProperty("allowed_actions").EnumerateArray().Select(a => a.GetString()));
        // One member per name: a second "status" would make the body ambiguous JSON.
        Assert.Single(problem.Body.EnumerateObject(), p => p.Name == "status");
    }
}
