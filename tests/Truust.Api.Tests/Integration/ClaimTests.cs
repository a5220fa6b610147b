using Microsoft.Extensions.DependencyInjection;
using Truust.Api.Persistence;
using Truust.Api.Tests.Infrastructure;
using Truust.Api.Tests.Orders;
using static Truust.Api.Tests.Orders.OrderFlow;

namespace Truust.Api.Tests.Integration;

/// <summary>The one leased claim every background job uses (Persistence/Claims.cs).</summary>
public sealed class ClaimTests(ManualWorkersFactory factory) : IClassFixture<ManualWorkersFactory>
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_claimed_row_is_nobody_elses_until_its_lease_ends_even_without_a_transaction()
    {
        var payinId = await BankwirePayinAsync();
        factory.Clock.Advance(TimeSpan.FromDays(30));

        Assert.Equal([payinId], await ClaimAsync(payinId));
        Assert.Empty(await ClaimAsync(payinId));
        factory.Clock.Advance(Lease - TimeSpan.FromSeconds(1));
        Assert.Empty(await ClaimAsync(payinId));
        factory.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal([payinId], await ClaimAsync(payinId));
    }

    [Fact]
    public async Task Of_many_instances_claiming_one_row_at_the_same_moment_exactly_one_gets_it()
    {
        var payinId = await BankwirePayinAsync();
        factory.Clock.Advance(TimeSpan.FromDays(30));

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => ClaimAsync(payinId)));

        Assert.Equal([payinId], claims.SelectMany(ids => ids));
    }

    private async Task<string> BankwirePayinAsync()
    {
        using var flow = await StartAsync(factory);
        var order = await flow.CreateOrderAsync(10_000);
        return (await flow.CreatePayinAsync(order.Id, "BANKWIRE")).Id;
    }

    /// <summary>One instance's claim, on its own connection and outside any transaction, as a job makes it.</summary>
    private async Task<List<string>> ClaimAsync(string payinId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TruustDbContext>();
        var now = factory.Clock.GetUtcNow();
        return await db.ClaimAsync(
            new ClaimQuery("payins", "p", $"p.id = {payinId}", "p.id"),
            now,
            now + Lease,
            20,
            default
        );
    }
}
