using Truust.Api.Payins;
using Truust.Api.Tests.Infrastructure;
using Truust.Api.Workers;
using Truust.Domain.Orders;
using Truust.Domain.Payments;
using static Truust.Api.Tests.Orders.OrderFlow;

namespace Truust.Api.Tests.Orders;

/// <summary>BANKWIRE payins: instructions, a matching wire, a mismatched one, and one that never comes.</summary>
public sealed class BankwirePayinTests(TruustApiFactory factory) : IClassFixture<TruustApiFactory>
{
    private const int DefaultExpiryHours = 168;

    [Fact]
    public async Task A_wire_with_the_reference_and_the_exact_amount_confirms_the_payin_and_publishes_the_order()
    {
        using var flow = await StartAsync(factory);
        var order = await flow.CreateOrderAsync(25_000);

        var payin = await flow.CreatePayinAsync(order.Id, "BANKWIRE");
        var instructions = payin.Bankwire!;
        var wire = await flow.SendWireAsync(instructions.Reference, 25_000, TestIbans.Germany);

        Assert.Equal(PayinStatus.Pending, payin.Status);
        Assert.StartsWith("TRU-", instructions.Reference);
        Assert.Equal((25_000L, "EUR"), (instructions.Amount, instructions.Currency));
        Assert.Equal(
            factory.Clock.GetUtcNow().AddHours(DefaultExpiryHours),
            instructions.ExpiresAt,
            TimeSpan.FromMilliseconds(1)
        );
        Assert.True(Domain.Banking.Iban.TryParse(instructions.Iban, out _, out _), instructions.Iban);
        Assert.Equal(("MATCHED", payin.Id), (wire.Status, wire.PayinId));
        Assert.Equal(PayinStatus.Succeeded, (await flow.GetPayinAsync(payin.Id)).Status);
        var published = await flow.GetOrderAsync(order.Id);
        Assert.Equal((OrderStatus.Published, 25_000L), (published.Status, published.Held));
        Assert.Equal([$"PAYIN world:bankwire -> escrow:{order.Id} 25000"], Trail(await flow.LedgerAsync(order.Id)));
        Assert.Equal(
            ["DRAFT->PENDING_PUBLISH:identify_buyer", "PENDING_PUBLISH->PUBLISHED:confirm_payin"],
            await flow.StepsAsync(order.Id)
        );
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_wire_for_another_amount_is_recorded_in_suspense_and_the_order_keeps_waiting_for_the_right_one()
    {
        using var flow = await StartAsync(factory);
        var order = await flow.CreateOrderAsync(25_000);
        var payin = await flow.CreatePayinAsync(order.Id, "BANKWIRE");
        var reference = payin.Bankwire!.Reference;

        var shortWire = await flow.SendWireAsync(reference.ToLowerInvariant(), 24_999);

        Assert.Equal(("AMOUNT_MISMATCH", payin.Id), (shortWire.Status, shortWire.PayinId));
        var waiting = await flow.GetOrderAsync(order.Id);
        Assert.Equal((OrderStatus.PendingPublish, 0L), (waiting.Status, waiting.Held));
        Assert.Equal(PayinStatus.Pending, (await flow.GetPayinAsync(payin.Id)).Status);
        Assert.Empty(await flow.LedgerAsync(order.Id));
        // The money did arrive: it is parked where an operator sees it, not lost and not in the order's escrow.
        Assert.Equal(
            1,
            await factory.CountAsync(
                "ledger_transfers",
                $"reference = '{shortWire.Id}' AND credit_account = 'suspense:unmatched_wires' AND amount_minor = 24999"
            )
        );
        Assert.Equal(
            1,
            await factory.CountAsync("incoming_wires", $"id = '{shortWire.Id}' AND status = 'AMOUNT_MISMATCH'")
        );

        var rightWire = await flow.SendWireAsync(reference, 25_000);

        Assert.Equal("MATCHED", rightWire.Status);
        var published = await flow.GetOrderAsync(order.Id);
        Assert.Equal((OrderStatus.Published, 25_000L), (published.Status, published.Held));
        Assert.Equal([$"PAYIN world:bankwire -> escrow:{order.Id} 25000"], Trail(await flow.LedgerAsync(order.Id)));
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_wire_with_an_unknown_reference_confirms_nothing()
    {
        using var flow = await StartAsync(factory);
        var order = await flow.CreateOrderAsync(25_000);
        await flow.CreatePayinAsync(order.Id, "BANKWIRE");

        var stray = await flow.SendWireAsync("TRU-NOSUCHREF", 25_000);

        Assert.Equal(("UNKNOWN_REFERENCE", (string?)null), (stray.Status, stray.PayinId));
        Assert.Equal(OrderStatus.PendingPublish, (await flow.GetOrderAsync(order.Id)).Status);
        Assert.Empty(await flow.LedgerAsync(order.Id));
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task An_unpaid_wire_expires_after_its_deadline_the_order_fails_and_a_late_wire_confirms_nothing()
    {
        using var flow = await StartAsync(factory);
        var order = await flow.CreateOrderAsync(25_000);
        var payin = await flow.CreatePayinAsync(order.Id, "BANKWIRE");

        // One minute before the deadline nothing happens.
        factory.Clock.Advance(TimeSpan.FromHours(DefaultExpiryHours) - TimeSpan.FromMinutes(1));
        await flow.RunJobAsync<WireExpiryJob>();
        Assert.Equal(OrderStatus.PendingPublish, (await flow.GetOrderAsync(order.Id)).Status);
        Assert.Equal(PayinStatus.Pending, (await flow.GetPayinAsync(payin.Id)).Status);

        factory.Clock.Advance(TimeSpan.FromMinutes(2));
        await flow.RunJobAsync<WireExpiryJob>();
        var failed = await flow.WaitForStatusAsync(order.Id, OrderStatus.Failure);

        var expired = await flow.GetPayinAsync(payin.Id);
        Assert.Equal((PayinStatus.Expired, "bankwire_expired"), (expired.Status, expired.FailureCode));
        Assert.Equal(0L, failed.Held);
        Assert.Equal(["pay", "cancel"], failed.AllowedActions);
        var expiry = (await flow.HistoryAsync(order.Id))[^1];
        Assert.Equal(
            (OrderStatus.PendingPublish, OrderStatus.Failure, "fail_payin", OrderActor.System, "bank wire expired"),
            (expiry.From, expiry.To, expiry.Action, expiry.Actor, expiry.Reason)
        );

        var late = await flow.SendWireAsync(payin.Bankwire!.Reference, 25_000);

        Assert.Equal("PAYIN_CLOSED", late.Status);
        var afterLateWire = await flow.GetOrderAsync(order.Id);
        Assert.Equal((OrderStatus.Failure, 0L), (afterLateWire.Status, afterLateWire.Held));
        Assert.Empty(await flow.LedgerAsync(order.Id));
        await LedgerInvariants.AssertAsync(factory);
    }
}
