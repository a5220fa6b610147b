using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Truust.Api.Http;
using Truust.Api.Pages.Hosted;
using Truust.Domain;
using Truust.Domain.Lifecycle;
using Truust.Domain.Orders;

namespace Truust.Api.Pages.Dashboard;

/// <summary>What the dashboard shows instead of an object it cannot show, or an action it could not take.</summary>
public sealed record DashboardProblem(string Title, string Message);

/// <summary>
/// Base of the dashboard pages: signed-in only (the cookie scheme of <see cref="DashboardAuthentication"/>), the
/// same protective headers as the hosted pages, and every expected failure shown as a page with the API's message,
/// never a 500. The caller is the signed-in platform, or the operator across all platforms; another platform's
/// object is "not found", exactly as in the API.
/// </summary>
[Authorize(Policy = DashboardAuthentication.Policy)]
public abstract class DashboardPageModel : PageModel
{
    private const string ProblemView = "/Pages/Dashboard/Problem.cshtml";

    public Caller Caller => Caller.From(User);

    /// <summary>Who the transition table sees acting: the operator, or the platform itself.</summary>
    public OrderActor Actor => Caller.IsOperator ? OrderActor.Operator : OrderActor.Platform;

    public override async Task OnPageHandlerExecutionAsync(
        PageHandlerExecutingContext context,
        PageHandlerExecutionDelegate next
    )
    {
        HostedPageModel.SetProtectiveHeaders(Response);
        var executed = await next();
        if (executed.Exception is { } exception && !executed.ExceptionHandled && ToProblem(exception) is { } problem)
        {
            executed.Result = ProblemPage(problem.Status, problem.View);
            executed.ExceptionHandled = true;
        }
    }

    /// <summary>The API's words for an expected failure, with its HTTP status; null for a programmer error.</summary>
    public static (int Status, DashboardProblem View)? ToProblem(Exception exception) =>
        exception switch
        {
            NotFoundException e => (StatusCodes.Status404NotFound, new DashboardProblem("Not found", e.Message)),
            InvalidTransitionException e => (
                StatusCodes.Status409Conflict,
                new DashboardProblem("Action refused", ProblemExceptionHandler.InvalidTransitionDetail(e))
            ),
            DbUpdateConcurrencyException
            or PostgresException
            {
                SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected,
            } => (
                StatusCodes.Status409Conflict,
                new DashboardProblem(
                    "Changed at the same time",
                    "Another change to this object was saved at the same moment. Reload the page and try again."
                )
            ),
            BusinessRuleException e => (
                StatusCodes.Status422UnprocessableEntity,
                new DashboardProblem("Action refused", e.Message)
            ),
            ConflictException e => (StatusCodes.Status409Conflict, new DashboardProblem("Action refused", e.Message)),
            ForbiddenException e => (StatusCodes.Status403Forbidden, new DashboardProblem("Not allowed", e.Message)),
            _ => null,
        };

    protected IActionResult ProblemPage(int status, DashboardProblem problem)
    {
        var viewData = new ViewDataDictionary<DashboardProblem>(MetadataProvider, ModelState) { Model = problem };
        viewData["Title"] = problem.Title;
        return new ViewResult
        {
            ViewName = ProblemView,
            ViewData = viewData,
            StatusCode = status,
        };
    }

    protected IActionResult NotFoundPage(string what, string id) =>
        ProblemPage(StatusCodes.Status404NotFound, new DashboardProblem("Not found", $"No such {what}: '{id}'."));
}
