using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Truust.Api.Campaigns;
using Truust.Api.Http;
using Truust.Api.Payins;
using Truust.Api.Refunds;
using Truust.Api.Sandbox;
using Truust.Api.Tests.Infrastructure;
using Truust.Api.Wallets;
using Truust.Api.Workers;
using Truust.Domain.Campaigns;
using Truust.Domain.Payments;

namespace Truust.Api.Tests.Campaigns;

/// <summary>
/// Campaign steps the way a platform drives them over HTTP, and the sandbox calls that play the outside world (a
/// contributor typing a card, a wire arriving). Each helper asserts the status it expects, so a scenario fails at the
/// step that went wrong.
/// </summary>
public static class CampaignHttp
{
    public const string TestCard = "4242424242424242";
    public const string DeclinedCard = "4000000000000002";

    public static async Task<CampaignResponse> CreateCampaignAsync(
        this HttpClient client,
        string ownerId,
        long target,
        DateTimeOffset deadline,
        string kind = "REWARD",
        string mode = "ALL_OR_NOTHING",
        long? minContribution = null,
        long? maxContribution = null,
        long? hardCap = null,
        long? annualInterestBp = null,
        int? termMonths = null
    )
    {
        var response = await client.PostJsonAsync(
            "/v1/campaigns",
            new
            {
                name = "Solar roofs for the village school",
                kind,
                owner_id = ownerId,
                target_amount = target,
                currency = "EUR",
                deadline,
                mode,
                min_contribution = minContribution,
                max_contribution = maxContribution,
                hard_cap = hardCap,
                annual_interest_bp = annualInterestBp,
                term_months = termMonths,
            }
        );
        var campaign = await response.ReadAsync<CampaignResponse>(HttpStatusCode.Created);
        Assert.Equal((CampaignStatus.Open, 0L, 0L), (campaign.Status, campaign.Raised, campaign.Pending));
        return campaign;
    }

    public static Task<HttpResponseMessage> PostContributionAsync(
        this HttpClient client,
        string campaignId,
        string contributorId,
        long amount,
        string type,
        string? walletId = null
    ) =>
        client.PostJsonAsync(
            $"/v1/campaigns/{campaignId}/contributions",
            new
            {
                contributor_id = contributorId,
                amount,
                type,
                wallet_id = walletId,
            }
        );

    /// <summary>A card contribution, not yet paid: its payin waits for the card.</summary>
    public static async Task<ContributionResponse> PledgeByCardAsync(
        this HttpClient client,
        string campaignId,
        string contributorId,
        long amount
    )
    {
        var contribution = await (
            await client.PostContributionAsync(campaignId, contributorId, amount, "ADDON")
        ).ReadAsync<ContributionResponse>(HttpStatusCode.Created);
        Assert.Equal(ContributionStatus.Pending, contribution.Status);
        Assert.Equal(
            (PayinType.Addon, PayinStatus.Pending, amount),
            (contribution.Payin!.Type, contribution.Payin.Status, contribution.Payin.Amount)
        );
        Assert.Contains("/pay/", contribution.Payin.DirectLink);
        return contribution;
    }

    public static async Task<PayinResponse> PayByCardAsync(
        this HttpClient client,
        string payinId,
        string number = TestCard
    ) =>
        await (
            await client.PostJsonAsync(
                $"/v1/sandbox/payins/{payinId}/card",
                new
                {
                    number,
                    exp_month = 12,
                    exp_year = 2030,
                    cvc = "123",
                }
            )
        ).ReadAsync<PayinResponse>();

    /// <summary>A card contribution paid with the approving test card: its money is in the campaign's escrow.
    /// </summary>
    public static async Task<ContributionResponse> ContributeByCardAsync(
        this HttpClient client,
        string campaignId,
        string contributorId,
        long amount
    )
    {
        var contribution = await client.PledgeByCardAsync(campaignId, contributorId, amount);
        var payin = await client.PayByCardAsync(contribution.Payin!.Id);
        Assert.Equal(PayinStatus.Succeeded, payin.Status);
        return contribution;
    }

    /// <summary>A wire contribution whose instructions were handed out, the wire not yet arrived.</summary>
    public static async Task<ContributionResponse> PledgeByWireAsync(
        this HttpClient client,
        string campaignId,
        string contributorId,
        long amount
    )
    {
        var contribution = await (
            await client.PostContributionAsync(campaignId, contributorId, amount, "BANKWIRE")
        ).ReadAsync<ContributionResponse>(HttpStatusCode.Created);
        Assert.Equal((PayinType.Bankwire, PayinStatus.Pending), (contribution.Payin!.Type, contribution.Payin.Status));
        Assert.Equal(amount, contribution.Payin.Bankwire!.Amount);
        return contribution;
    }

    public static async Task<IncomingWireResponse> SendWireAsync(
        this HttpClient client,
        PayinResponse payin,
        string senderIban
    ) =>
        await (
            await client.PostJsonAsync(
                "/v1/sandbox/bankwires",
                new
                {
                    reference = payin.Bankwire!.Reference,
                    amount = payin.Amount,
                    currency = payin.Currency,
                    sender_iban = senderIban,
                }
            )
        ).ReadAsync<IncomingWireResponse>(HttpStatusCode.Created);

    /// <summary>A wire contribution whose wire arrived from <paramref name="senderIban"/> and matched.</summary>
    public static async Task<ContributionResponse> ContributeByWireAsync(
        this HttpClient client,
        string campaignId,
        string contributorId,
        long amount,
        string senderIban
    )
    {
        var contribution = await client.PledgeByWireAsync(campaignId, contributorId, amount);
        var wire = await client.SendWireAsync(contribution.Payin!, senderIban);
        Assert.Equal(("MATCHED", contribution.Payin!.Id), (wire.Status, wire.PayinId));
        return contribution;
    }

    /// <summary>A WALLET contribution: debited and confirmed in the same request.</summary>
    public static async Task<ContributionResponse> ContributeFromWalletAsync(
        this HttpClient client,
        string campaignId,
        string contributorId,
        string walletId,
        long amount
    )
    {
        var contribution = await (
            await client.PostContributionAsync(campaignId, contributorId, amount, "WALLET", walletId)
        ).ReadAsync<ContributionResponse>(HttpStatusCode.Created);
        Assert.Equal(ContributionStatus.Confirmed, contribution.Status);
        Assert.Equal((PayinType.Wallet, PayinStatus.Succeeded), (contribution.Payin!.Type, contribution.Payin.Status));
        return contribution;
    }

    /// <summary>A new wallet for <paramref name="customerId"/>, topped up by card with <paramref name="amount"/>.
    /// </summary>
    public static async Task<WalletResponse> CreateFundedWalletAsync(
        this HttpClient client,
        string customerId,
        long amount
    )
    {
        var wallet = await client.CreateWalletAsync(customerId);
        await client.TopUpByCardAsync(wallet.Id, amount);
        var funded = await client.GetJsonAsync<WalletResponse>($"/v1/wallets/{wallet.Id}");
        Assert.Equal(amount, funded.Balance);
        return funded;
    }

    public static async Task TopUpByCardAsync(this HttpClient client, string walletId, long amount)
    {
        var topup = await (
            await client.PostJsonAsync($"/v1/wallets/{walletId}/topups", new { type = "ADDON", amount })
        ).ReadAsync<PayinResponse>(HttpStatusCode.Created);
        Assert.Equal(PayinStatus.Succeeded, (await client.PayByCardAsync(topup.Id)).Status);
    }

    public static Task<CampaignResponse> GetCampaignAsync(this HttpClient client, string campaignId) =>
        client.GetJsonAsync<CampaignResponse>($"/v1/campaigns/{campaignId}");

    public static Task<CampaignRefundReport> GetRefundReportAsync(this HttpClient client, string campaignId) =>
        client.GetJsonAsync<CampaignRefundReport>($"/v1/campaigns/{campaignId}/refunds");

    public static Task<ScheduleResponse> GetScheduleAsync(this HttpClient client, string campaignId) =>
        client.GetJsonAsync<ScheduleResponse>($"/v1/campaigns/{campaignId}/schedule");

    public static async Task<long> WalletBalanceAsync(this HttpClient client, string walletId) =>
        (await client.GetJsonAsync<WalletResponse>($"/v1/wallets/{walletId}")).Balance;

    /// <summary>The customer's EUR wallet (Truust creates one when it first pays the customer).</summary>
    public static async Task<WalletResponse> CustomerWalletAsync(this HttpClient client, string customerId) =>
        Assert.Single((await client.GetJsonAsync<Page<WalletResponse>>($"/v1/wallets?customer_id={customerId}")).Data);
}

/// <summary>The background work of campaigns, driven by hand, and the ledger read straight from the database.</summary>
public static class CampaignWork
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Runs the deadline job until the campaign has settled (a background worker may settle it first; either way
    /// it is settled once), then returns it.
    /// </summary>
    public static async Task<CampaignResponse> SettleDeadlineAsync(
        TruustApiFactory factory,
        HttpClient client,
        string campaignId
    )
    {
        var giveUpAt = DateTime.UtcNow + Patience;
        while (true)
        {
            await using (var scope = factory.Services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<CampaignDeadlineJob>().RunOnceAsync(default);
            }

            var campaign = await client.GetCampaignAsync(campaignId);
            if (!CampaignTransitions.AcceptsContributions(campaign.Status))
            {
                return campaign;
            }

            Assert.True(DateTime.UtcNow < giveUpAt, $"Campaign {campaignId} is still {campaign.Status}.");
            await Task.Delay(50);
        }
    }

    /// <summary>Runs the refund job until the campaign's <paramref name="expected"/> refunds have all succeeded.
    /// </summary>
    public static async Task<CampaignRefundReport> CompleteRefundsAsync(
        TruustApiFactory factory,
        HttpClient client,
        string campaignId,
        int expected
    )
    {
        var giveUpAt = DateTime.UtcNow + Patience;
        while (true)
        {
            await using (var scope = factory.Services.CreateAsyncScope())
            {
                var job = scope.ServiceProvider.GetRequiredService<RefundJob>();
                while (await job.RunOnceAsync(default) > 0) { }
            }

            var report = await client.GetRefundReportAsync(campaignId);
            if (report.Refunds == expected && report.Succeeded == expected)
            {
                return report;
            }

            Assert.True(
                DateTime.UtcNow < giveUpAt,
                $"Campaign {campaignId}: {report.Succeeded} of {report.Refunds} refunds succeeded, "
                    + $"{report.Pending} pending, {report.Failed} failed; expected {expected}."
            );
            await Task.Delay(50);
        }
    }

    /// <summary>What the ledger says the campaign's escrow account holds.</summary>
    public static Task<long> EscrowBalanceAsync(TruustApiFactory factory, string campaignId) =>
        AccountBalanceAsync(factory, $"escrow:{campaignId}");

    public static async Task<long> AccountBalanceAsync(TruustApiFactory factory, string account)
    {
        await using var connection = await factory.OpenConnectionAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            """
            SELECT coalesce(sum(CASE WHEN credit_account = @a THEN amount_minor ELSE -amount_minor END), 0)::bigint
            FROM ledger_transfers WHERE credit_account = @a OR debit_account = @a
            """,
            connection
        );
        command.Parameters.AddWithValue("a", account);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The balance of the platform's fee wallet in EUR (zero when no fee was ever taken): its row plus its
    /// credit sub-accounts.</summary>
    public static async Task<long> FeeWalletBalanceAsync(TruustApiFactory factory, string platformId)
    {
        await using var connection = await factory.OpenConnectionAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            """
            SELECT coalesce(sum(w.balance_minor + coalesce(
                       (SELECT sum(s.amount_minor) FROM wallet_credit_shards s WHERE s.wallet_id = w.id), 0)), 0)::bigint
            FROM wallets w
            WHERE w.platform_id = @p AND w.kind = 'PLATFORM_FEES' AND w.currency = 'EUR'
            """,
            connection
        );
        command.Parameters.AddWithValue("p", platformId);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>One scalar from the database (test-written SQL only).</summary>
    public static async Task<T> ScalarAsync<T>(
        TruustApiFactory factory,
        string sql,
        params (string Name, object Value)[] parameters
    )
    {
        await using var connection = await factory.OpenConnectionAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }
}
