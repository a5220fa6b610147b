using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.EntityFrameworkCore;
using Truust.Api.Http;
using Truust.Domain;
using Truust.Domain.Lifecycle;
using Truust.Domain.Orders;

namespace Truust.Api.Pages.Hosted;

/// <summary>What a page says when its link cannot be used: unknown, no longer active, or refused.</summary>
public sealed record LinkStateView(
    string Title,
    string Message,
    string? ActionText = null,
    string? ActionUrl = null,
    string? Detail = null
);

/// <summary>
/// Base of the hosted pages. A buyer, seller or payment link is a capability URL: holding it is the only
/// credential. So these pages are never cached (a shared computer must not replay them), never framed
/// (clickjacking on a payment form), never leak their URL to the platform through the Referer header, load
/// scripts and styles from this origin only, and show people a readable page for every expected failure,
/// never a 500 or a JSON problem.
/// </summary>
public abstract class HostedPageModel : PageModel
{
    /// <summary>Tokens are 32 characters today; anything much longer is not one of ours and is not looked up.</summary>
    public const int MaxTokenLength = 64;

    private const string LinkStateView = "/Pages/Shared/LinkState.cshtml";

    /// <summary>Link holders act for the order's platform, and only ever see that platform's objects.</summary>
    public static Caller CallerFor(Order order) => new(order.PlatformId, false);

    public static Caller CallerFor(string platformId) => new(platformId, false);

    public static bool IsPlausibleToken(string? token) =>
        token is { Length: > 0 and <= MaxTokenLength }
        && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public override async Task OnPageHandlerExecutionAsync(
        PageHandlerExecutingContext context,
        PageHandlerExecutionDelegate next
    )
    {
        SetProtectiveHeaders(Response);
        var executed = await next();
        if (executed.Exception is { } exception && !executed.ExceptionHandled && ToPage(exception) is { } page)
        {
            executed.Result = page;
            executed.ExceptionHandled = true;
        }
    }

    /// <summary>No caching, no framing, no Referer, and scripts and styles from this origin only.</summary>
    public static void SetProtectiveHeaders(HttpResponse response)
    {
        var headers = response.Headers;
        // What antiforgery sets on every page with a form; setting it first spares a warning per page in the log.
        headers.CacheControl = "no-cache, no-store";
        headers.Pragma = "no-cache";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy =
            "default-src 'self'; img-src 'self' data:; style-src 'self'; "
            + "script-src 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";
    }

    /// <summary>404: the token matches nothing (mistyped, or never issued).</summary>
    protected IActionResult LinkNotFound() =>
        LinkState(
            StatusCodes.Status404NotFound,
            new LinkStateView(
                "This link is not valid",
                "We could not find anything for this link. Check that you copied the whole address, or ask the platform "
                    + "that sent it for a new one."
            )
        );

    /// <summary>410: the link was real, but what it was for is done or over.</summary>
    protected IActionResult LinkGone(
        string message,
        string? actionText = null,
        string? actionUrl = null,
        string? detail = null
    ) =>
        LinkState(
            StatusCodes.Status410Gone,
            new LinkStateView("This link is no longer active", message, actionText, actionUrl, detail)
        );

    protected IActionResult LinkState(int status, LinkStateView view)
    {
        var viewData = new ViewDataDictionary<LinkStateView>(MetadataProvider, ModelState) { Model = view };
        viewData["Title"] = view.Title;
        return new ViewResult
        {
            ViewName = LinkStateView,
            ViewData = viewData,
            StatusCode = status,
        };
    }

    /// <summary>A page re-rendered with the errors of its form (422, so it is not mistaken for success).</summary>
    protected PageResult FormErrors()
    {
        var page = Page();
        page.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return page;
    }

    /// <summary>
    /// Expected failures that reach here (the order moved on between showing the page and submitting it, a race
    /// with another tab) become a page. Anything else is a programmer error and goes to the global handler.
    /// </summary>
    private IActionResult? ToPage(Exception exception) =>
        exception switch
        {
            NotFoundException => LinkNotFound(),
            InvalidTransitionException { Status: OrderStatus status } => LinkGone(
                $"This order is now '{HostedPages.Describe(status).ToLowerInvariant()}', so this step can no longer "
                    + "be taken from this link."
            ),
            DbUpdateConcurrencyException => LinkState(
                StatusCodes.Status409Conflict,
                new LinkStateView(
                    "Something changed at the same time",
                    "Another change to this order was saved just now. Reload the " + "page to see where it stands."
                )
            ),
            ConflictException e => LinkGone(
                "What this link was for has already been done or is over.",
                detail: e.Message
            ),
            BusinessRuleException e => LinkState(
                StatusCodes.Status422UnprocessableEntity,
                new LinkStateView("We could not do that", e.Message)
            ),
            _ => null,
        };
}
