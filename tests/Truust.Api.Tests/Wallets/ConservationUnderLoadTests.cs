using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Truust.Api.Http;
using Truust.Api.Tests.Infrastructure;
using Truust.Api.Wallets;

namespace Truust.Api.Tests.Wallets;

/// <summary>
/// Many wallets, many concurrent transfers and batches over real HTTP: money is neither created nor lost, no balance
/// goes negative, and locking in one stable order means no request dies of a deadlock.
/// </summary>
public sealed class ConservationUnderLoadTests(UnlimitedApiFactory factory) : IClassFixture<UnlimitedApiFactory>
{
    private const int Wallets = 20;
    private const int Requests = 200;
    private const long Funding = 10_000;

    [Fact]
    public async Task Two_hundred_concurrent_transfers_and_batches_among_twenty_wallets_conserve_the_total()
    {
        using var client = await factory.CreatePlatformAsync();
        var wallets = new List<WalletResponse>();
        for (var i = 0; i < Wallets; i++)
        {
            wallets.Add(await client.CreateFundedWalletAsync(Funding, $"Owner {i}"));
        }

        var random = new Random(20_261_125);
        var requests = Enumerable.Range(0, Requests).Select(_ => NextRequest(random, wallets)).ToList();

        var results = await Task.WhenAll(
            requests.Select(async r =>
            {
                using var response = await client.PostJsonAsync(r.Path, r.Body);
                var body = await response.Content.ReadAsStringAsync();
                return (Request: r, Status: response.StatusCode, Body: body);
            })
        );

        var unexpected = results
            .Where(r =>
                r.Status != HttpStatusCode.Created
                && !(r.Status == HttpStatusCode.UnprocessableEntity && CodeOf(r.Body) == "insufficient_funds")
            )
            .Select(r => $"{(int)r.Status} {r.Request.Path}: {r.Body}")
            .ToList();
        Assert.True(
            unexpected.Count == 0,
            "Every request must end in 201 or 422 insufficient_funds:\n" + string.Join('\n', unexpected.Take(10))
        );
        var applied = results.Where(r => r.Status == HttpStatusCode.Created).ToList();
        Assert.NotEmpty(applied);
        Assert.Equal(applied.Sum(r => r.Request.Legs), await factory.CountAsync("wallet_transfers"));

        var balances = await Task.WhenAll(wallets.Select(w => client.BalanceAsync(w.Id)));
        Assert.Equal(Wallets * Funding, balances.Sum());
        Assert.All(balances, b => Assert.True(b >= 0, $"A balance went negative: {b}"));
        await LedgerInvariants.AssertAsync(factory);
        foreach (var wallet in wallets)
        {
            await AssertHistoryAddsUpAsync(client, wallet.Id);
        }
    }

    /// <summary>
    /// Pages through the wallet's history: each balance_after is the one before it plus this movement, the newest
    /// is the wallet's balance, and none is negative (the history is in the order the wallet's balance went through).
    /// </summary>
    private static async Task AssertHistoryAddsUpAsync(HttpClient client, string walletId)
    {
        var movements = new List<WalletTransactionResponse>();
        string? after = null;
        do
        {
            var page = await client.GetJsonAsync<Page<WalletTransactionResponse>>(
                $"/v1/wallets/{walletId}/transactions?limit=100"
                    + (after is null ? string.Empty : $"&starting_after={after}")
            );
            movements.AddRange(page.Data);
            after = page.HasMore ? page.Data[^1].Id : null;
        } while (after is not null);

        Assert.Equal(await client.BalanceAsync(walletId), movements[0].BalanceAfter);
        long balance = 0;
        foreach (var movement in Enumerable.Reverse(movements))
        {
            balance += movement.Direction == "CREDIT" ? movement.Amount : -movement.Amount;
            Assert.Equal(balance, movement.BalanceAfter);
            Assert.True(balance >= 0, $"Wallet {walletId}'s history shows a negative balance after {movement.Id}.");
        }
    }

    private sealed record LoadRequest(string Path, object Body, int Legs);

    /// <summary>A single transfer (two in three) or a batch of 2 to 6 legs; amounts up to 60 % of a funding.</summary>
    private static LoadRequest NextRequest(Random random, IReadOnlyList<WalletResponse> wallets)
    {
        object Leg()
        {
            var from = random.Next(wallets.Count);
            var to = (from + 1 + random.Next(wallets.Count - 1)) % wallets.Count;
            return new
            {
                from_wallet_id = wallets[from].Id,
                to_wallet_id = wallets[to].Id,
                amount = random.NextInt64(1, 6_000),
            };
        }

        if (random.Next(3) < 2)
        {
            return new LoadRequest("/v1/transfers", Leg(), 1);
        }

        var legs = Enumerable.Range(0, random.Next(2, 7)).Select(_ => Leg()).ToArray();
        return new LoadRequest("/v1/transfers/batch", new { legs }, legs.Length);
    }

    private static string? CodeOf(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("code", out var code) ? code.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>
/// No rate limit worth the name: the load test sends far more than the default burst per second from one key, and
/// must measure the ledger, not the limiter.
/// </summary>
public sealed class UnlimitedApiFactory : TruustApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("RateLimits:PermitsPerSecond", "1000000");
        builder.UseSetting("RateLimits:Burst", "1000000");
    }
}
