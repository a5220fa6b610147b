using System.Net;
using Microsoft.AspNetCore.Hosting;
using Npgsql;
using Truust.Api.Http;
using Truust.Api.Tests.Infrastructure;
using Truust.Api.Tests.Wallets;
using Truust.Api.Wallets;

namespace Truust.Api.Tests.Reliability;

/// <summary>An instance whose Idempotency-Key leases end after one second, so a slow request outlives its lease.</summary>
public sealed class ShortIdempotencyLeaseApiFactory : TruustApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Idempotency:LeaseSeconds", "1");
    }
}

/// <summary>
/// An Idempotency-Key applies once, whatever the timing: a request slower than its lease, a crash between the
/// effect and the stored response, a request that fails midway.
/// </summary>
public sealed class IdempotencyFencingTests(ShortIdempotencyLeaseApiFactory factory)
    : IClassFixture<ShortIdempotencyLeaseApiFactory>
{
    [Fact]
    public async Task A_retry_of_a_request_slower_than_its_lease_never_applies_the_key_a_second_time()
    {
        using var client = await factory.CreatePlatformAsync();
        var from = await client.CreateFundedWalletAsync(10_000);
        var to = await client.CreateFundedWalletAsync(0);
        var body = new
        {
            from_wallet_id = from.Id,
            to_wallet_id = to.Id,
            amount = 1_000,
        };
        const string key = "slow-transfer";

        // Hold the source wallet's row lock, so the first request waits (a stalled database, a hot wallet) for longer
        // than its one-second lease, and its retry arrives while it still waits.
        await using var blocker = await factory.OpenConnectionAsync();
        await using var blocking = await blocker.BeginTransactionAsync();
        await using (var lockWallet = new NpgsqlCommand("SELECT 1 FROM wallets WHERE id = @id FOR UPDATE", blocker))
        {
            lockWallet.Parameters.AddWithValue("id", from.Id);
            lockWallet.Transaction = blocking;
            await lockWallet.ExecuteNonQueryAsync();
        }

        var first = PostAsync(client, body, key);
        await Task.Delay(TimeSpan.FromSeconds(1));
        factory.Clock.Advance(TimeSpan.FromSeconds(5));
        var retry = PostAsync(client, body, key);
        await Task.Delay(TimeSpan.FromSeconds(1));
        await blocking.CommitAsync();
        var responses = await Task.WhenAll(first, retry);

        Assert.Equal(1, await factory.CountAsync("wallet_transfers", $"from_wallet_id = '{from.Id}'"));
        Assert.Equal((9_000L, 1_000L), (await client.BalanceAsync(from.Id), await client.BalanceAsync(to.Id)));
        var statuses = responses.Select(r => r.Status).Order().ToList();
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.Created or HttpStatusCode.Conflict, $"got {s}"));
        Assert.Contains(HttpStatusCode.Created, statuses);
        var replay = await PostAsync(client, body, key);
        Assert.Equal(HttpStatusCode.Created, replay.Status);
        Assert.Equal(responses.First(r => r.Status == HttpStatusCode.Created).Body, replay.Body);
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task The_response_is_stored_in_the_commit_of_the_effect_so_no_crash_can_separate_them()
    {
        using var client = await factory.CreatePlatformAsync();
        var from = await client.CreateFundedWalletAsync(10_000);
        var to = await client.CreateFundedWalletAsync(0);
        const string key = "one-commit";

        var created = await PostAsync(
            client,
            new
            {
                from_wallet_id = from.Id,
                to_wallet_id = to.Id,
                amount = 250,
            },
            key
        );

        Assert.Equal(HttpStatusCode.Created, created.Status);
        // PostgreSQL's xmin names the transaction that last wrote a row: the transfer and the stored response being
        // written by one transaction means a crash can never leave the effect without its response.
        await using var connection = await factory.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT (SELECT xmin::text FROM wallet_transfers WHERE from_wallet_id = @from),
                   (SELECT xmin::text FROM idempotency_records WHERE key = @key AND status = 'DONE')
            """,
            connection
        );
        command.Parameters.AddWithValue("from", from.Id);
        command.Parameters.AddWithValue("key", key);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.False(reader.IsDBNull(0));
        Assert.False(reader.IsDBNull(1));
        Assert.Equal(reader.GetString(0), reader.GetString(1));
    }

    [Fact]
    public async Task A_request_that_fails_midway_frees_its_key_at_once_and_the_retry_applies()
    {
        using var client = await factory.CreatePlatformAsync();
        var from = await client.CreateFundedWalletAsync(500);
        var to = await client.CreateFundedWalletAsync(0);
        var body = new
        {
            from_wallet_id = from.Id,
            to_wallet_id = to.Id,
            amount = 1_000,
        };
        const string key = "after-top-up";

        var refused = await PostAsync(client, body, key);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.Status);
        Assert.Equal(0, await factory.CountAsync("idempotency_records", $"key = '{key}'"));

        await client.TopUpByCardAsync(from.Id, 1_000);
        var applied = await PostAsync(client, body, key);

        Assert.Equal(HttpStatusCode.Created, applied.Status);
        Assert.Equal((500L, 1_000L), (await client.BalanceAsync(from.Id), await client.BalanceAsync(to.Id)));
        await LedgerInvariants.AssertAsync(factory);
    }

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(
        HttpClient client,
        object body,
        string key
    )
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/transfers")
        {
            Content = HttpJson.Content(body),
        };
        request.Headers.Add(IdempotencyMiddleware.Header, key);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
