using System.Net;
using System.Text.Json;
using Truust.Api.Tests.Infrastructure;
using Truust.Domain.Orders;
using static Truust.Api.Tests.Orders.OrderFlow;

namespace Truust.Api.Tests.Reliability;

/// <summary>
/// A buyer's double-click, a retrying client, two 3-D Secure answers: however many card submissions race for one
/// payin, the card is charged once, the escrow is funded once, and the charge that funded it is never voided.
/// </summary>
public sealed class CardDoubleSubmitTests(TruustApiFactory factory) : IClassFixture<TruustApiFactory>
{
    private const int Submissions = 10;

    [Fact]
    public async Task Ten_simultaneous_card_submissions_charge_once_fund_once_and_void_nothing()
    {
        for (var round = 0; round < 3; round++)
        {
            using var flow = await StartAsync(factory);
            var order = await flow.CreateOrderAsync(19_000);
            var payin = await flow.CreatePayinAsync(order.Id, "ADDON");

            var responses = await SubmitTogetherAsync(() => flow.PostCardAsync(payin.Id, SuccessCard));

            AssertOneSucceededOthersToldItIsInProgressOrDone(responses);
            var paid = await flow.GetOrderAsync(order.Id);
            Assert.Equal((OrderStatus.Published, 19_000L, 0L), (paid.Status, paid.Held, paid.Refunded));
            Assert.Equal(0, await factory.CountAsync("simulator.card_refunds", $"charge_reference = '{payin.Id}'"));
            Assert.Equal(1, await factory.CountAsync("simulator.card_charges", $"reference = '{payin.Id}'"));
            await LedgerInvariants.AssertAsync(factory);
        }
    }

    [Fact]
    public async Task Two_simultaneous_answers_to_one_3d_secure_challenge_fund_once_and_void_nothing()
    {
        using var flow = await StartAsync(factory);
        var order = await flow.CreateOrderAsync(7_500);
        var payin = await flow.CreatePayinAsync(order.Id, "ADDON");
        await flow.PayCardAsync(payin.Id, ThreeDSecureCard);

        var responses = await SubmitTogetherAsync(() =>
            flow.Client.PostJsonAsync($"/v1/sandbox/payins/{payin.Id}/3ds", new { authenticated = true })
        );

        AssertOneSucceededOthersToldItIsInProgressOrDone(responses);
        var paid = await flow.GetOrderAsync(order.Id);
        Assert.Equal((OrderStatus.Published, 7_500L, 0L), (paid.Status, paid.Held, paid.Refunded));
        Assert.Equal(0, await factory.CountAsync("simulator.card_refunds", $"charge_reference = '{payin.Id}'"));
        await LedgerInvariants.AssertAsync(factory);
    }

    private static async Task<IReadOnlyList<(HttpStatusCode Status, string Body)>> SubmitTogetherAsync(
        Func<Task<HttpResponseMessage>> submit
    )
    {
        using var start = new SemaphoreSlim(0);
        var requests = Enumerable
            .Range(0, Submissions)
            .Select(async _ =>
            {
                await start.WaitAsync();
                using var response = await submit();
                return (response.StatusCode, await response.Content.ReadAsStringAsync());
            })
            .ToList();
        start.Release(Submissions);
        return await Task.WhenAll(requests);
    }

    /// <summary>Exactly one 200; every other answer is a 409 saying the payment is in progress or already done.</summary>
    private static void AssertOneSucceededOthersToldItIsInProgressOrDone(
        IReadOnlyList<(HttpStatusCode Status, string Body)> responses
    )
    {
        var unexpected = responses
            .Where(r => r.Status is not (HttpStatusCode.OK or HttpStatusCode.Conflict))
            .Select(r => $"{(int)r.Status}: {r.Body}")
            .ToList();
        Assert.True(unexpected.Count == 0, string.Join('\n', unexpected));
        Assert.Single(responses, r => r.Status == HttpStatusCode.OK);
        foreach (var (_, body) in responses.Where(r => r.Status == HttpStatusCode.Conflict))
        {
            using var problem = JsonDocument.Parse(body);
            var code = problem.RootElement.GetProperty("code").GetString();
            Assert.True(code is "payin_processing" or "payin_not_open" or "no_challenge_pending", code);
        }
    }
}
