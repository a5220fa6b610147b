using System.Net;
using Truust.Api.Campaigns;
using Truust.Api.Tests.Infrastructure;
using Truust.Domain.Campaigns;

namespace Truust.Api.Tests.Campaigns;

/// <summary>
/// Crowdlending: a loan funded by three lenders on three rails, disbursed to the borrower, and repaid in
/// instalments. Every number below is worked out by hand in the comments, so the test does not share the
/// arithmetic it checks.
/// </summary>
public sealed class LoanTests(NoWorkersApiFactory factory) : IClassFixture<NoWorkersApiFactory>
{
    [Fact]
    public async Task A_loan_is_funded_disbursed_and_repaid_in_instalments_with_every_lender_paid_to_the_cent()
    {
        var platform = await factory.CreateTestPlatformAsync(feePercentBp: 100);
        using var client = platform.Client;
        var borrower = await client.CreateCustomerAsync("Borrower");
        var ada = await client.CreateCustomerAsync("Ada");
        var bob = await client.CreateCustomerAsync("Bob");
        var cy = await client.CreateCustomerAsync("Cy");
        var bobWallet = await client.CreateFundedWalletAsync(bob.Id, 3_100);
        var loan = await client.CreateCampaignAsync(
            borrower.Id,
            10_000,
            factory.Clock.GetUtcNow().AddDays(90),
            kind: "LOAN",
            annualInterestBp: 1_000,
            termMonths: 3
        );

        // Ada lends 4,700 by card, Bob 3,100 from his wallet, Cy 2,200 by wire: 47 %, 31 % and 22 %.
        await client.ContributeByCardAsync(loan.Id, ada.Id, 4_700);
        await client.ContributeFromWalletAsync(loan.Id, bob.Id, bobWallet.Id, 3_100);
        await client.ContributeByWireAsync(loan.Id, cy.Id, 2_200, TestIbans.France);
        Assert.Equal(CampaignStatus.Funded, (await client.GetCampaignAsync(loan.Id)).Status);
        Assert.Empty((await client.GetScheduleAsync(loan.Id)).Instalments);

        var disbursedAt = factory.Clock.GetUtcNow();
        var disbursed = await (
            await client.PostAsync($"/v1/campaigns/{loan.Id}/close", null)
        ).ReadAsync<CampaignResponse>();

        // The borrower receives 10,000 less the 1 % fee; the schedule is on the whole 10,000.
        Assert.Equal((CampaignStatus.Repaying, 0L, 100L), (disbursed.Status, disbursed.Raised, disbursed.FeeAmount));
        Assert.Equal(["default", "repay"], disbursed.AllowedActions);
        var borrowerWallet = await client.CustomerWalletAsync(borrower.Id);
        Assert.Equal(9_900, borrowerWallet.Balance);
        Assert.Equal(100, await CampaignWork.FeeWalletBalanceAsync(factory, platform.Id));
        Assert.Equal(0, await CampaignWork.EscrowBalanceAsync(factory, loan.Id));
        // 10 % a year: 83.33 on 10,000 → 83; 55.55 on 6,666 → 56; 27.775 on 3,333 → 28.
        var schedule = await client.GetScheduleAsync(loan.Id);
        Assert.Equal(
            [(1, 3_334L, 83L, "DUE"), (2, 3_333L, 56L, "DUE"), (3, 3_333L, 28L, "DUE")],
            schedule.Instalments.Select(i => (i.Number, i.Principal, i.Interest, i.Status))
        );
        // Due monthly from the disbursement (the database keeps microseconds, the clock ticks).
        Assert.All(
            schedule.Instalments,
            i => Assert.Equal(disbursedAt.AddMonths(i.Number), i.DueAt, TimeSpan.FromMilliseconds(1))
        );
        Assert.Equal(
            (10_000L, 167L, 0L, 10_167L),
            (schedule.Principal, schedule.TotalInterest, schedule.Paid, schedule.Outstanding)
        );

        // The borrower cannot repay everything from 9,900: nothing moves.
        await factory.AssertUnchangedAsync(async () =>
            await (
                await client.PostJsonAsync($"/v1/campaigns/{loan.Id}/repayments", new { amount = 10_167 })
            ).ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "insufficient_funds")
        );
        await client.TopUpByCardAsync(borrowerWallet.Id, 267);

        // Instalment 1 (no amount: what is due next, 3,417). Principal 3,334 → 1,566.98 / 1,033.54 / 733.48: the two
        // spare cents go to the .98 and the .54. Interest 83 → 39.01 / 25.73 / 18.26: the spare cent to the .73.
        var first = await RepayAsync(client, loan.Id, null);
        Assert.Equal(
            (3_417L, 3_334L, 83L, CampaignStatus.Repaying),
            (first.Amount, first.Principal, first.Interest, first.CampaignStatus)
        );
        AssertShares(first, (ada.Id, 1_567, 39), (bob.Id, 1_034, 26), (cy.Id, 733, 18));
        Assert.Equal(
            ["PAID", "DUE", "DUE"],
            (await client.GetScheduleAsync(loan.Id)).Instalments.Select(i => i.Status)
        );

        // 2,000 of instalment 2: its interest 56 first, then 1,944 of principal. 1,944 → 913.68 / 602.64 / 427.68:
        // both .68s get a cent. 56 → 26.32 / 17.36 / 12.32: the cent goes to the .36.
        var second = await RepayAsync(client, loan.Id, 2_000);
        Assert.Equal((1_944L, 56L), (second.Principal, second.Interest));
        AssertShares(second, (ada.Id, 914, 26), (bob.Id, 602, 18), (cy.Id, 428, 12));
        var partial = await client.GetScheduleAsync(loan.Id);
        Assert.Equal(["PAID", "PARTIAL", "DUE"], partial.Instalments.Select(i => i.Status));
        Assert.Equal(
            (1_389L, 1_944L, 56L),
            (partial.Instalments[1].Due, partial.Instalments[1].PaidPrincipal, partial.Instalments[1].PaidInterest)
        );

        // Past instalment 2's due date, what is left of it is late; instalment 3 is not due yet.
        factory.Clock.SetUtcNow(partial.Instalments[1].DueAt.AddDays(1));
        var late = await client.GetScheduleAsync(loan.Id);
        Assert.Equal(["PAID", "LATE", "DUE"], late.Instalments.Select(i => i.Status));
        Assert.Equal((5_417L, 4_750L), (late.Paid, late.Outstanding));

        // One cent more than is outstanding is refused whole.
        var tooMuch = await factory.AssertUnchangedAsync(async () =>
            await (
                await client.PostJsonAsync($"/v1/campaigns/{loan.Id}/repayments", new { amount = 4_751 })
            ).ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "repayment_exceeds_outstanding")
        );
        Assert.Contains("4750", tooMuch.Detail);

        // The rest: 1,389 of instalment 2, then instalment 3's 28 of interest and 3,333 of principal. Principal 4,722
        // → 2,219.34 / 1,463.82 / 1,038.84: cents to the .84 and the .82. Interest 28 → 13.16 / 8.68 / 6.16.
        var last = await RepayAsync(client, loan.Id, 4_750);
        Assert.Equal((4_722L, 28L, CampaignStatus.Repaid), (last.Principal, last.Interest, last.CampaignStatus));
        AssertShares(last, (ada.Id, 2_219, 13), (bob.Id, 1_464, 9), (cy.Id, 1_039, 6));

        var repaid = await client.GetScheduleAsync(loan.Id);
        Assert.Equal(["PAID", "PAID", "PAID"], repaid.Instalments.Select(i => i.Status));
        Assert.Equal((10_167L, 0L), (repaid.Paid, repaid.Outstanding));
        Assert.Equal(CampaignStatus.Repaid, (await client.GetCampaignAsync(loan.Id)).Status);
        // Each lender has their principal back and their interest: Ada 4,700 + 78, Bob 3,100 + 53, Cy 2,200 + 36.
        Assert.Equal(4_778, (await client.CustomerWalletAsync(ada.Id)).Balance);
        Assert.Equal(3_153, await client.WalletBalanceAsync(bobWallet.Id));
        Assert.Equal(2_236, (await client.CustomerWalletAsync(cy.Id)).Balance);
        Assert.Equal(0, await client.WalletBalanceAsync(borrowerWallet.Id));
        Assert.Equal(100, await CampaignWork.FeeWalletBalanceAsync(factory, platform.Id));

        // A repaid loan takes no more repayments.
        await factory.AssertUnchangedAsync(async () =>
            await (
                await client.PostJsonAsync($"/v1/campaigns/{loan.Id}/repayments", new { amount = 1 })
            ).ReadProblemAsync(HttpStatusCode.Conflict, "invalid_transition")
        );
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_loan_in_default_takes_no_more_repayments_and_the_lenders_keep_what_was_repaid()
    {
        using var client = await factory.CreatePlatformAsync();
        var borrower = await client.CreateCustomerAsync("Borrower");
        var ada = await client.CreateCustomerAsync("Ada");
        var bob = await client.CreateCustomerAsync("Bob");
        var loan = await client.CreateCampaignAsync(
            borrower.Id,
            6_000,
            factory.Clock.GetUtcNow().AddDays(90),
            kind: "LOAN",
            annualInterestBp: 0,
            termMonths: 2
        );
        await client.ContributeByCardAsync(loan.Id, ada.Id, 4_000);
        await client.ContributeByCardAsync(loan.Id, bob.Id, 2_000);
        await (await client.PostAsync($"/v1/campaigns/{loan.Id}/close", null)).ReadAsync<CampaignResponse>();
        // No interest: instalment 1 is 3,000 of principal, two thirds to Ada.
        var first = await RepayAsync(client, loan.Id, null);
        AssertShares(first, (ada.Id, 2_000, 0), (bob.Id, 1_000, 0));

        var defaulted = await (
            await client.PostAsync($"/v1/campaigns/{loan.Id}/default", null)
        ).ReadAsync<CampaignResponse>();

        Assert.Equal(CampaignStatus.Defaulted, defaulted.Status);
        Assert.Empty(defaulted.AllowedActions);
        var problem = await factory.AssertUnchangedAsync(async () =>
            await (
                await client.PostJsonAsync($"/v1/campaigns/{loan.Id}/repayments", new { amount = 100 })
            ).ReadProblemAsync(HttpStatusCode.Conflict, "invalid_transition")
        );
        Assert.Equal("DEFAULTED", problem.Body.GetProperty("current_status").GetString());
        Assert.Equal(2_000, (await client.CustomerWalletAsync(ada.Id)).Balance);
        Assert.Equal(1_000, (await client.CustomerWalletAsync(bob.Id)).Balance);
        Assert.Equal(3_000, (await client.CustomerWalletAsync(borrower.Id)).Balance);
        Assert.Equal(3_000, (await client.GetScheduleAsync(loan.Id)).Outstanding);
        await LedgerInvariants.AssertAsync(factory);
    }

    [Fact]
    public async Task A_campaign_that_is_not_a_loan_being_repaid_takes_no_repayment_and_cannot_be_defaulted()
    {
        using var client = await factory.CreatePlatformAsync();
        var owner = await client.CreateCustomerAsync("Owner");
        var campaign = await client.CreateCampaignAsync(
            owner.Id,
            6_000,
            factory.Clock.GetUtcNow().AddDays(90),
            kind: "LOAN",
            annualInterestBp: 500,
            termMonths: 6
        );

        var repay = await factory.AssertUnchangedAsync(async () =>
            await (
                await client.PostJsonAsync($"/v1/campaigns/{campaign.Id}/repayments", new { amount = 100 })
            ).ReadProblemAsync(HttpStatusCode.Conflict, "invalid_transition")
        );
        var @default = await factory.AssertUnchangedAsync(async () =>
            await (await client.PostAsync($"/v1/campaigns/{campaign.Id}/default", null)).ReadProblemAsync(
                HttpStatusCode.Conflict,
                "invalid_transition"
            )
        );

        foreach (var problem in new[] { repay, @default })
        {
            Assert.Equal("OPEN", problem.Body.GetProperty("current_status").GetString());
            Assert.Equal(
                ["contribute", "cancel"],
                problem.Body.GetProperty("allowed_actions").EnumerateArray().Select(a => a.GetString())
            );
        }

        await LedgerInvariants.AssertAsync(factory);
    }

    private static async Task<RepaymentResponse> RepayAsync(HttpClient client, string loanId, long? amount) =>
        await (
            await client.PostJsonAsync($"/v1/campaigns/{loanId}/repayments", new { amount })
        ).ReadAsync<RepaymentResponse>(HttpStatusCode.Created);

    /// <summary>Each lender's principal and interest share, and that the shares add up to the repayment.</summary>
    private static void AssertShares(
        RepaymentResponse repayment,
        params (string LenderId, long Principal, long Interest)[] expected
    )
    {
        Assert.Equal(
            expected.OrderBy(e => e.LenderId, StringComparer.Ordinal),
            repayment
                .Lenders.Select(l => (l.LenderId, l.Principal, l.Interest))
                .OrderBy(e => e.LenderId, StringComparer.Ordinal)
        );
        Assert.Equal(repayment.Principal, repayment.Lenders.Sum(l => l.Principal));
        Assert.Equal(repayment.Interest, repayment.Lenders.Sum(l => l.Interest));
        Assert.Equal(repayment.Amount, repayment.Principal + repayment.Interest);
    }

    [Fact]
    public async Task Equal_lenders_get_back_exactly_what_they_lent_even_when_instalments_do_not_divide_evenly()
    {
        var platform = await factory.CreateTestPlatformAsync();
        using var client = platform.Client;
        var borrower = await client.CreateCustomerAsync("Borrower");
        var ada = await client.CreateCustomerAsync("Ada");
        var bob = await client.CreateCustomerAsync("Bob");
        var loan = await client.CreateCampaignAsync(
            borrower.Id,
            10_000,
            factory.Clock.GetUtcNow().AddDays(30),
            kind: "LOAN",
            annualInterestBp: 0,
            termMonths: 3
        );
        await client.ContributeByCardAsync(loan.Id, ada.Id, 5_000);
        await client.ContributeByCardAsync(loan.Id, bob.Id, 5_000);
        await (await client.PostAsync($"/v1/campaigns/{loan.Id}/close", null)).ReadAsync<CampaignResponse>();

        // Instalments of 3,334, 3,333 and 3,333 split between two equal lenders: 1,667/1,667, then a tie broken one
        // way (1,667/1,666), then the last one must even it out (1,666/1,667), or one lender ends a cent up.
        var received = new Dictionary<string, long> { [ada.Id] = 0, [bob.Id] = 0 };
        for (var n = 0; n < 3; n++)
        {
            var repayment = await (
                await client.PostJsonAsync($"/v1/campaigns/{loan.Id}/repayments", new { })
            ).ReadAsync<RepaymentResponse>(HttpStatusCode.Created);
            Assert.Equal(repayment.Principal, repayment.Lenders.Sum(l => l.Principal));
            foreach (var share in repayment.Lenders)
            {
                received[share.LenderId] += share.Principal;
            }
        }

        Assert.Equal(5_000, received[ada.Id]);
        Assert.Equal(5_000, received[bob.Id]);
        Assert.Equal(5_000, (await client.CustomerWalletAsync(ada.Id)).Balance);
        Assert.Equal(5_000, (await client.CustomerWalletAsync(bob.Id)).Balance);
        Assert.Equal(CampaignStatus.Repaid, (await client.GetCampaignAsync(loan.Id)).Status);
        await LedgerInvariants.AssertAsync(factory);
    }
}
