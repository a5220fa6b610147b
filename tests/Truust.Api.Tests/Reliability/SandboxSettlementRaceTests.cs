using System.Net;
using Npgsql;
using Truust.Api.Http;
using Truust.Api.Payins;
using Truust.Api.Tests.Infrastructure;
using Truust.Api.Wallets;
using Truust.Domain.Orders;
using Truust.Domain.Payments;
using static Truust.Api.Tests.Orders.OrderFlow;

namespace Truust.Api.Tests.Reliability;

/// <summary>
/// The sandbox's settle and fail of one payout in transit race each other: exactly one wins, the other is a 409, and
/// Truust's payout and the simulated bank's transfer end in the same state (PAID with SETTLED, RETURNED with
/// RETURNED), the money where that state says.
/// </summary>
public sealed class SandboxSettlementRaceTests(TruustApiFactory factory) : IClassFixture<TruustApiFactory>
{
    private const int Rounds = 20;

    [Fact]
    public async Task Settle_and_fail_sent_together_let_exactly_one_through_and_truust_agrees_with_the_bank()
    {
        using var flow = await StartAsync(factory);
        var account = await flow.Client.CreateBankAccountAsync(flow.Seller.Id, TestIbans.Germany);
        var payouts = new List<PayoutResponse>();
        for (var i = 0; i < Rounds; i++)
        {
            var (order, payout) = await flow.AwaitingValidationAsync(1_000 + i, bankAccountId: account.Id);
            await flow.ActAsync(order.Id, "validate");
            await flow.WaitForStatusAsync(order.Id, OrderStatus.Released);
            payouts.Add(await flow.WaitForPayoutAsync(payout.Id, PayoutStatus.InTransit));
        }

        var outcomes = new List<string>();
        for (var i = 0; i < Rounds; i++)
        {
            var id = payouts[i].Id;
            // Alternate which request is sent first, so neither always has the head start.
            var settleFirst = i % 2 == 0;
            var (first, second) = await AtOnceAsync(
                () => flow.Client.PostAsync($"/v1/sandbox/payouts/{id}/{(settleFirst ? "settle" : "fail")}", null),
                () => flow.Client.PostAsync($"/v1/sandbox/payouts/{id}/{(settleFirst ? "fail" : "settle")}", null)
            );
            var (settle, fail) = settleFirst ? (first, second) : (second, first);

            Assert.True(
                (settle.StatusCode, fail.StatusCode)
                    is
                        (HttpStatusCode.OK, HttpStatusCode.Conflict)
                        or
                        (HttpStatusCode.Conflict, HttpStatusCode.OK),
                $"Round {i}: settle answered {(int)settle.StatusCode}, fail {(int)fail.StatusCode}; "
                    + await settle.Content.ReadAsStringAsync()
                    + await fail.Content.ReadAsStringAsync()
            );
            var (winner, loser, expected) =
                settle.StatusCode == HttpStatusCode.OK
                    ? (settle, fail, PayoutStatus.Paid)
                    : (fail, settle, PayoutStatus.Returned);
            Assert.Equal(expected, (await winner.ReadAsync<PayoutResponse>()).Status);
            await loser.ReadProblemAsync(HttpStatusCode.Conflict, "payout_not_in_transit");

            var (payoutStatus, bankStatus) = await StatusesAsync(id);
            Assert.Equal(
                expected == PayoutStatus.Paid ? ("PAID", "SETTLED") : ("RETURNED", "RETURNED"),
                (payoutStatus, bankStatus)
            );
            outcomes.Add(payoutStatus);
        }

        // The seller's wallet holds exactly the returned payouts.
        var returnedMinor = payouts
            .Select((p, i) => (Payout: p, Outcome: outcomes[i]))
            .Where(x => x.Outcome == "RETURNED")
            .Sum(x => x.Payout.Amount);
        var wallets = await flow.Client.GetJsonAsync<Page<WalletResponse>>($"/v1/wallets?customer_id={flow.Seller.Id}");
        Assert.Equal(returnedMinor, wallets.Data.Sum(w => w.Balance));
        await LedgerInvariants.AssertAsync(factory);
    }

    private async Task<(string Payout, string Bank)> StatusesAsync(string payoutId)
    {
        await using var connection = await factory.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT p.status, t.status FROM payouts p
            JOIN simulator.bank_transfers t ON t.reference LIKE p.id || '-%'
            WHERE p.id = @id
            """,
            connection
        );
        command.Parameters.AddWithValue("id", payoutId);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"No bank transfer for payout {payoutId}.");
        return (reader.GetString(0), reader.GetString(1));
    }

    private static async Task<(HttpResponseMessage, HttpResponseMessage)> AtOnceAsync(
        Func<Task<HttpResponseMessage>> one,
        Func<Task<HttpResponseMessage>> other
    )
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = Task.Run(async () =>
        {
            await gate.Task;
            return await one();
        });
        var second = Task.Run(async () =>
        {
            await gate.Task;
            return await other();
        });
        gate.SetResult();
        return (await first, await second);
    }
}
