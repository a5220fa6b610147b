using System.Net;
using Truust.Api.Tests.Infrastructure;
using Truust.Domain.Orders;
using Truust.Domain.Payments;
using static Truust.Api.Tests.Orders.OrderFlow;

namespace Truust.Api.Tests.Orders;

/// <summary>ADDON payins through the simulated card gateway: success, declines, 3-D Secure, retry.</summary>
public sealed class CardPayinTests(TruustApiFactory factory) : IClassFixture<TruustApiFactory>
{
    [Fact]
    public async Task A_card_that_succeeds_puts_the_whole_amount_in_escrow_and_publishes_the_order()
    {
        using var flow = await StartAsync(factory);
        var order = await flow.CreateOrderAsync(12_345);

        var payin = await flow.CreatePayinAsync(order.Id, "ADDON");
        var pending = await flow.GetOrderAsync(order.Id);
        var paid = await flow.PayCardAsync(payin.Id, SuccessCard);

        Assert.Equal(
            (PayinStatus.Pending, PayinType.Addon, 12_345L, "EUR", order.Id),
            (payin.Status, payin.Type, payin.Amount, payin.Currency, payin.OrderId)
        );
        Assert.Contains("/pay/", payin.DirectLink);
        Assert.Equal((OrderStatus.PendingPublish, 0L, payin.Id), (pending.Status, pending.Held, pending.PayinId));
        Assert.Equal((PayinStatus.Succeeded, "visa", "4242"), (paid.Status, paid.Card!.Brand, paid.Card.Last4));
        var published = await flow.GetOrderAsync(order.Id);
        Assert.Equal((OrderStatus.Published, 12_345L, 0L), (published.Status, published.Held, published.Refunded));
        Assert.Equal(["accept", "reject", "cancel", "refund"], published.AllowedActions);
        Assert.Equal([$"PAYIN world:card -> escrow:{order.Id} 12345"], Trail(await flow.LedgerAsync(order.Id)));
        Assert.Equal(payin.Id, Assert.Single(await flow.LedgerAsync(order.Id)).Reference);
        Assert.Equal(
            ["DRAFT->PENDING_PUBLISH:identify_buyer", "PENDING_PUBLISH->PUBLISHED:confirm_payin"],
            await flow.StepsAsync(order.Id)
        );
        var history = await flow.HistoryAsync(order.Id);
        // The buyer was given at creation (recorded by the system); paying started in place, the gateway confirmed.
        Assert.Equal([OrderActor.System, OrderActor.Gateway], history.Select(c => c.Actor));
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_declined_card_fails_the_order_and_a_new_payin_that_succeeds_publishes_it()
    {
        using var flow = await StartAsync(factory);
        var order = await flow.CreateOrderAsync(5_000);
        var first = await flow.CreatePayinAsync(order.Id, "ADDON");

        var declined = await flow.PayCardAsync(first.Id, DeclinedCard);
        var failed = await flow.GetOrderAsync(order.Id);

        Assert.Equal((PayinStatus.Failed, "card_declined"), (declined.Status, declined.FailureCode));
        Assert.Equal((OrderStatus.Failure, 0L), (failed.Status, failed.Held));
        Assert.Equal(["pay", "cancel"], failed.AllowedActions);
        Assert.Empty(await flow.LedgerAsync(order.Id));
        // The failed payin is closed: paying it again with a good card does not resurrect it.
        await factory.AssertUnchangedAsync(async () =>
            await (await flow.PostCardAsync(first.Id, SuccessCard)).ReadProblemAsync(
                HttpStatusCode.Conflict,
                "payin_not_open"
            )
        );

        var retry = await flow.CreatePayinAsync(order.Id, "ADDON");
        Assert.Equal(OrderStatus.PendingPublish, (await flow.GetOrderAsync(order.Id)).Status);
        var paid = await flow.PayCardAsync(retry.Id, SuccessCard);

        Assert.NotEqual(first.Id, retry.Id);
        Assert.Equal(PayinStatus.Succeeded, paid.Status);
        var published = await flow.GetOrderAsync(order.Id);
        Assert.Equal((OrderStatus.Published, 5_000L, retry.Id), (published.Status, published.Held, published.PayinId));
        var transfer = Assert.Single(await flow.LedgerAsync(order.Id));
        Assert.Equal((retry.Id, 5_000L), (transfer.Reference, transfer.Amount));
        Assert.Equal(
            [
                "DRAFT->PENDING_PUBLISH:identify_buyer",
                "PENDING_PUBLISH->FAILURE:fail_payin",
                "FAILURE->PENDING_PUBLISH:pay",
                "PENDING_PUBLISH->PUBLISHED:confirm_payin",
            ],
            await flow.StepsAsync(order.Id)
        );
        Assert.Equal(PayinStatus.Failed, (await flow.GetPayinAsync(first.Id)).Status);
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_card_with_insufficient_funds_fails_the_order_and_moves_no_money()
    {
        using var flow = await StartAsync(factory);
        var order = await flow.CreateOrderAsync(7_500);
        var payin = await flow.CreatePayinAsync(order.Id, "ADDON");

        var declined = await flow.PayCardAsync(payin.Id, InsufficientFundsCard);

        Assert.Equal(
            (PayinStatus.Failed, "insufficient_funds", "9995"),
            (declined.Status, declined.FailureCode, declined.Card!.Last4)
        );
        var failed = await flow.GetOrderAsync(order.Id);
        Assert.Equal((OrderStatus.Failure, 0L), (failed.Status, failed.Held));
        Assert.Empty(await flow.LedgerAsync(order.Id));
        var failure = (await flow.HistoryAsync(order.Id))[^1];
        Assert.Equal(
            (OrderStatus.Failure, OrderActor.Gateway, "insufficient_funds"),
            (failure.To, failure.Actor, failure.Reason)
        );
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_card_that_requires_3_d_secure_waits_for_the_challenge_and_publishes_once_authenticated()
    {
        using var flow = await StartAsync(factory);
        var order = await flow.CreateOrderAsync(9_900);
        var payin = await flow.CreatePayinAsync(order.Id, "ADDON");

        var challenged = await flow.PayCardAsync(payin.Id, ThreeDSecureCard);
        var waiting = await flow.GetOrderAsync(order.Id);
        var ledgerWhileWaiting = await flow.LedgerAsync(order.Id);
        var authenticated = await flow.AnswerChallengeAsync(payin.Id, authenticated: true);

        Assert.Equal((PayinStatus.RequiresAction, "three_d_secure"), (challenged.Status, challenged.NextAction!.Type));
        Assert.Equal((OrderStatus.PendingPublish, 0L), (waiting.Status, waiting.Held));
        Assert.Empty(ledgerWhileWaiting);
        Assert.Equal((PayinStatus.Succeeded, null), (authenticated.Status, authenticated.NextAction));
        var published = await flow.GetOrderAsync(order.Id);
        Assert.Equal((OrderStatus.Published, 9_900L), (published.Status, published.Held));
        Assert.Equal([$"PAYIN world:card -> escrow:{order.Id} 9900"], Trail(await flow.LedgerAsync(order.Id)));
        Assert.Equal(
            ["DRAFT->PENDING_PUBLISH:identify_buyer", "PENDING_PUBLISH->PUBLISHED:confirm_payin"],
            await flow.StepsAsync(order.Id)
        );
        // The challenge is answered once; a second answer cannot change the outcome.
        await factory.AssertUnchangedAsync(async () =>
            await (
                await flow.Client.PostJsonAsync($"/v1/sandbox/payins/{payin.Id}/3ds", new { authenticated = false })
            ).ReadProblemAsync(HttpStatusCode.Conflict, "no_challenge_pending")
        );
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_failed_3_d_secure_challenge_fails_the_payin_and_the_order()
    {
        using var flow = await StartAsync(factory);
        var order = await flow.CreateOrderAsync(9_900);
        var payin = await flow.CreatePayinAsync(order.Id, "ADDON");
        await flow.PayCardAsync(payin.Id, ThreeDSecureCard);

        var refused = await flow.AnswerChallengeAsync(payin.Id, authenticated: false);

        Assert.Equal((PayinStatus.Failed, "authentication_failed"), (refused.Status, refused.FailureCode));
        var failed = await flow.GetOrderAsync(order.Id);
        Assert.Equal((OrderStatus.Failure, 0L), (failed.Status, failed.Held));
        Assert.Empty(await flow.LedgerAsync(order.Id));
        Assert.Equal(
            ["DRAFT->PENDING_PUBLISH:identify_buyer", "PENDING_PUBLISH->FAILURE:fail_payin"],
            await flow.StepsAsync(order.Id)
        );
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task Answering_a_challenge_on_a_payin_that_has_none_is_409_and_changes_nothing()
    {
        using var flow = await StartAsync(factory);
        var order = await flow.CreateOrderAsync();
        var payin = await flow.CreatePayinAsync(order.Id, "ADDON");

        await factory.AssertUnchangedAsync(async () =>
            await (
                await flow.Client.PostJsonAsync($"/v1/sandbox/payins/{payin.Id}/3ds", new { authenticated = true })
            ).ReadProblemAsync(HttpStatusCode.Conflict, "no_challenge_pending")
        );
        Assert.Equal(OrderStatus.PendingPublish, (await flow.GetOrderAsync(order.Id)).Status);
    }
}
