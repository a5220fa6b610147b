using System.Globalization;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Truust.Api.Campaigns;
using Truust.Api.Customers;
using Truust.Api.Platforms;
using Truust.Domain;
using Truust.Domain.Campaigns;
using Truust.Domain.Payments;

namespace Truust.Api.Pages.Hosted;

/// <summary>
/// A campaign's public contribution page (<c>/c/{campaign_id}</c>, the campaign's <c>contribution_link</c>): what
/// the campaign is, how far it is toward its target and until when, and a form that makes the visitor a customer
/// of the campaign's platform, creates the contribution and sends them to its payin's <c>direct_link</c> (the
/// card page or the wire instructions). A closed campaign says so instead of offering the form.
/// </summary>
public sealed class ContributeModel(
    CampaignService campaigns,
    ContributionService contributions,
    CustomerService customers,
    PlatformService platforms,
    IValidator<CreateCustomerRequest> customerRules,
    TimeProvider clock
) : HostedPageModel
{
    public const string Card = "card";
    public const string Bankwire = "bankwire";

    public Campaign Campaign { get; private set; } = null!;

    public string PlatformName { get; private set; } = string.Empty;

    /// <summary>Still taking contributions: open or funded, and before the deadline.</summary>
    public bool Open { get; private set; }

    public Dictionary<string, string> Errors { get; } = [];

    [BindProperty(Name = "name")]
    public string? Name { get; set; }

    [BindProperty(Name = "email")]
    public string? Email { get; set; }

    /// <summary>In major units as people type it: <c>25</c>, <c>25.50</c> or <c>25,50</c>.</summary>
    [BindProperty(Name = "amount")]
    public string? Amount { get; set; }

    [BindProperty(Name = "method")]
    public string? Method { get; set; }

    public string Money(long minor) => new Money(minor, Currency.Of(Campaign.Currency)).ToString();

    /// <summary>Raised toward the target, in whole percent (past 100 when over-funded).</summary>
    public int PercentRaised => (int)Math.Min(999, Campaign.RaisedMinor * 100 / Campaign.TargetMinor);

    public async Task<IActionResult> OnGetAsync(string campaignId, CancellationToken ct)
    {
        var campaign = await LoadAsync(campaignId, ct);
        return campaign is null ? LinkNotFound() : Page();
    }

    public async Task<IActionResult> OnPostAsync(string campaignId, CancellationToken ct)
    {
        var campaign = await LoadAsync(campaignId, ct);
        if (campaign is null)
        {
            return LinkNotFound();
        }

        if (!Open)
        {
            return Page();
        }

        var contributor = new CreateCustomerRequest { Name = Name?.Trim(), Email = Email?.Trim() };
        foreach (var failure in (await customerRules.ValidateAsync(contributor, ct)).Errors)
        {
            Errors.TryAdd(
                failure.PropertyName,
                failure.PropertyName == "email"
                    ? "Enter a valid email address, like name@example.com."
                    : "Enter your name."
            );
        }

        var amount = ReadAmount(campaign);
        var type = Method switch
        {
            Card => PayinType.Addon,
            Bankwire => PayinType.Bankwire,
            _ => (PayinType?)null,
        };
        if (type is null)
        {
            Errors["method"] = "Choose how you would like to pay.";
        }

        if (Errors.Count > 0)
        {
            return FormErrors();
        }

        // The visitor becomes a customer of the campaign's platform, and the page acts as that platform.
        var caller = CallerFor(campaign.PlatformId);
        var customer = await customers.CreateAsync(caller, contributor, ct);
        ContributionResponse contribution;
        try
        {
            contribution = await contributions.ContributeAsync(
                caller,
                campaign.Id,
                new CreateContributionRequest
                {
                    ContributorId = customer.Id,
                    Amount = amount,
                    Type = type,
                },
                ct
            );
        }
        catch (BusinessRuleException e)
        {
            // Closed or capped between showing the page and this post: nothing was reserved.
            await LoadAsync(campaignId, ct);
            Errors[e.Field ?? "amount"] = e.Message;
            return FormErrors();
        }
        catch (ConflictException)
        {
            await LoadAsync(campaignId, ct);
            return Page();
        }

        return Redirect(contribution.Payin!.DirectLink);
    }

    private async Task<Campaign?> LoadAsync(string campaignId, CancellationToken ct)
    {
        if (!IsPlausibleToken(campaignId) || await campaigns.FindByIdAsync(campaignId, ct) is not { } campaign)
        {
            return null;
        }

        Campaign = campaign;
        var platform = await platforms.GetAsync(campaign.PlatformId, ct);
        PlatformName = platform.Name;
        Open =
            CampaignTransitions.AcceptsContributions(campaign.Status)
            && platform.Now(clock.GetUtcNow()) < campaign.Deadline;
        Method ??= Card;
        ViewData["Title"] = campaign.Name;
        return campaign;
    }

    /// <summary>The typed amount in minor units, checked against the campaign's limits; null with an error.</summary>
    private long? ReadAmount(Campaign campaign)
    {
        var currency = Currency.Of(campaign.Currency);
        var text = (Amount ?? string.Empty).Trim().Replace(',', '.');
        var scale = (decimal)Math.Pow(10, currency.Exponent);
        if (
            !decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var major)
            || major * scale != decimal.Truncate(major * scale)
            || major <= 0
            || major * scale > Domain.Money.MaxAmountMinor
        )
        {
            Errors["amount"] = $"Enter an amount in {currency.Code}, like 25 or 25.50.";
            return null;
        }

        var minor = (long)(major * scale);
        var left = campaign.HardCapMinor is { } cap ? cap - campaign.RaisedMinor - campaign.PendingMinor : (long?)null;
        if (campaign.MinContributionMinor is { } min && minor < min)
        {
            Errors["amount"] = $"The smallest contribution is {Money(min)}.";
        }
        else if (campaign.MaxContributionMinor is { } max && minor > max)
        {
            Errors["amount"] = $"The largest contribution is {Money(max)}.";
        }
        else if (left is { } room && minor > room)
        {
            Errors["amount"] =
                room > 0
                    ? $"The campaign can take only {Money(room)} more before its cap."
                    : "The campaign has reached its cap.";
        }

        return Errors.ContainsKey("amount") ? null : minor;
    }
}
