using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Npgsql;
using Truust.Api.Tests.Infrastructure;

namespace Truust.Api.Tests.Reliability;

/// <summary>
/// An instance stopped in order (SIGTERM: a deploy, a scale-down) gives back the work it holds claimed at once,
/// instead of leaving it to its lease: here a webhook delivery stuck on an endpoint that never answers, with a
/// five-minute lease. Another instance (or this one, restarted) then takes it on its next round.
/// </summary>
public sealed class GracefulShutdownTests
{
    private const int LeaseSeconds = 300;

    [Fact]
    public async Task A_stopping_instance_releases_the_webhook_delivery_it_holds_at_once()
    {
        var server = await TestDatabaseServer.GetAsync();
        var database = await server.CreateDatabaseAsync();
        // An endpoint that accepts the connection and never answers: the delivery stays in flight.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var connected = silent.AcceptTcpClientAsync();
        try
        {
            await using var api = await ApiProcess.StartAsync(
                new Dictionary<string, string>
                {
                    ["ConnectionStrings__Truust"] = database,
                    ["Truust__OperatorKey"] = TruustApiFactory.OperatorKey,
                    ["Truust__MigrateOnStartup"] = "false",
                    ["Workers__PollMilliseconds"] = "100",
                    ["Workers__LeaseSeconds"] = LeaseSeconds.ToString(),
                    ["Webhooks__TimeoutSeconds"] = "120",
                    ["Webhooks__AllowPrivateNetworks"] = "true",
                },
                TimeSpan.FromSeconds(60)
            );
            using var http = new HttpClient { BaseAddress = api.BaseAddress };
            await SetUpOrderWithWebhookAsync(http, ((IPEndPoint)silent.LocalEndpoint).Port);

            using var endpointSide = await connected.WaitAsync(TimeSpan.FromSeconds(60));
            var leased = await DeliveryAsync(database);
            Assert.Equal(("PENDING", 0), (leased.Status, leased.Attempts));
            Assert.True(leased.LeaseLeftSeconds > LeaseSeconds - 60, $"lease left {leased.LeaseLeftSeconds} s");

            await api.TerminateAsync(TimeSpan.FromSeconds(30));

            // Given back: due now, no attempt counted against the endpoint (the send was cut short, not failed).
            var released = await DeliveryAsync(database);
            Assert.Equal(("PENDING", 0), (released.Status, released.Attempts));
            Assert.True(released.LeaseLeftSeconds <= 0, $"lease left {released.LeaseLeftSeconds} s");
        }
        finally
        {
            await server.ReleaseDatabaseAsync(database);
        }
    }

    private static async Task SetUpOrderWithWebhookAsync(HttpClient http, int endpointPort)
    {
        async Task<JsonElement> PostAsync(string path, object body, string key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
            request.Headers.Authorization = new("Bearer", key);
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {text}");
            return JsonDocument.Parse(text).RootElement.Clone();
        }

        var platform = await PostAsync(
            "/v1/platforms",
            new
            {
                name = "Shutdown",
                fee_percent_bp = 0,
                fee_fixed = 0,
            },
            TruustApiFactory.OperatorKey
        );
        var secret = platform.GetProperty("api_key").GetProperty("secret").GetString()!;
        await PostAsync(
            "/v1/webhook_endpoints",
            new { url = $"http://127.0.0.1:{endpointPort}/hook", event_types = new[] { "order.created" } },
            secret
        );
        var buyer = await PostAsync("/v1/customers", new { name = "Buyer", email = "buyer@example.com" }, secret);
        var seller = await PostAsync("/v1/customers", new { name = "Seller", email = "seller@example.com" }, secret);
        await PostAsync(
            "/v1/orders",
            new
            {
                name = "Bike",
                amount = 1000,
                currency = "EUR",
                buyer_id = buyer.GetProperty("id").GetString(),
                seller_id = seller.GetProperty("id").GetString(),
            },
            secret
        );
    }

    private static async Task<(string Status, int Attempts, double LeaseLeftSeconds)> DeliveryAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT status, attempts, extract(epoch FROM next_attempt_at - now())::float8 FROM webhook_deliveries",
            connection
        );
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var delivery = (reader.GetString(0), reader.GetInt32(1), reader.GetDouble(2));
        Assert.False(await reader.ReadAsync());
        return delivery;
    }
}
