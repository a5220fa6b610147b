using System.Globalization;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Truust.Api.Customers;
using Truust.Api.Http;
using Truust.Api.Orders;
using Truust.Domain;

namespace Truust.Api.Pages.Dashboard;

/// <summary>
/// <c>/dashboard/orders/new</c>: a platform creates an order by hand (name, amount, seller, optional buyer), with
/// the same validation and service as <c>POST /v1/orders</c>, then lands on the order's page, where its buyer and
/// seller links are ready to share by hand.
/// </summary>
public sealed class NewOrderModel(
    OrderCreationService creation,
    CustomerService customers,
    IValidator<CreateOrderRequest> rules
) : DashboardPageModel
{
    /// <summary>How many customers the seller and buyer lists offer (the newest).</summary>
    public const int MaxCustomers = 100;

    [BindProperty]
    public string? Name { get; set; }

    /// <summary>The amount as people type it: <c>150.00</c>.</summary>
    [BindProperty]
    public string? Amount { get; set; }

    [BindProperty]
    public string? Currency { get; set; } = "EUR";

    [BindProperty]
    public string? SellerId { get; set; }

    [BindProperty]
    public string? BuyerId { get; set; }

    public IReadOnlyList<CustomerResponse> Customers { get; private set; } = [];

    public Dictionary<string, string> Errors { get; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await ShowAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (Caller.PlatformId is null)
        {
            return await ShowAsync(ct);
        }

        var request = new CreateOrderRequest
        {
            Name = Name?.Trim(),
            Amount = ParseAmount(),
            Currency = Currency,
            SellerId = Blank(SellerId),
            BuyerId = Blank(BuyerId),
        };
        if (request.Amount is not null)
        {
            foreach (var failure in (await rules.ValidateAsync(request, ct)).Errors)
            {
                Errors.TryAdd(failure.PropertyName.Split('.')[0], failure.ErrorMessage);
            }
        }

        if (Errors.Count > 0)
        {
            var page = await ShowAsync(ct);
            HttpContext.Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return page;
        }

        try
        {
            var order = await creation.CreateAsync(Caller, request, ct);
            return Redirect($"/dashboard/orders/{order.Id}?created=1");
        }
        catch (Exception e) when (e is DomainException or NotFoundException)
        {
            Errors["form"] = e.Message;
            var page = await ShowAsync(ct);
            HttpContext.Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return page;
        }
    }

    private async Task<IActionResult> ShowAsync(CancellationToken ct)
    {
        ViewData["Title"] = "New order";
        ViewData["Section"] = "orders";
        if (Caller.PlatformId is not null)
        {
            Customers = (await customers.ListAsync(Caller, new PageQuery { Limit = MaxCustomers }, ct)).Data;
        }

        return Page();
    }

    /// <summary>The typed amount in minor units of the chosen currency, or null with an error.</summary>
    private long? ParseAmount()
    {
        if (!Domain.Currency.IsKnown(Currency))
        {
            Errors["currency"] = "Choose a currency.";
            return null;
        }

        var exponent = Domain.Currency.Of(Currency!).Exponent;
        var text = Amount?.Trim().Replace(',', '.');
        if (
            !decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var major)
            || major <= 0
            || major > Money.MaxAmountMinor / (decimal)Math.Pow(10, exponent)
            || decimal.Round(major, exponent) != major
        )
        {
            Errors["amount"] =
                $"Enter a positive amount with at most {exponent} decimals, like {(exponent == 0 ? "150" : "150.00")}.";
            return null;
        }

        return (long)(major * (decimal)Math.Pow(10, exponent));
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
