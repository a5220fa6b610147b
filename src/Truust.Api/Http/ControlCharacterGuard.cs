namespace Truust.Api.Http;

/// <summary>
/// Refuses a request whose path, route values, query string or form fields hold a control character
/// (<see cref="TextInput"/>): a 400 <c>malformed_request</c> naming the parameter, before authentication or any
/// endpoint runs, so nothing is looked up or stored with it. JSON bodies are checked as they are read.
/// </summary>
public sealed class ControlCharacterGuard(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var refused = await FindAsync(context);
        if (refused is { } field)
        {
            var message = "Contains a control character; only printable text is accepted.";
            await Problems.WriteAsync(
                context,
                400,
                "malformed_request",
                "The request could not be read",
                $"{field}: {message}",
                new Dictionary<string, string[]> { [field] = [message] }
            );
            return;
        }

        await next(context);
    }

    /// <summary>The name of the first parameter holding a refused character, or null.</summary>
    private static async Task<string?> FindAsync(HttpContext context)
    {
        // Route values first: they name the parameter (id) that the path only holds.
        foreach (var (name, value) in context.Request.RouteValues)
        {
            if (value is string text && TextInput.FirstRefused(text) >= 0)
            {
                return name;
            }
        }

        if (TextInput.FirstRefused(context.Request.Path.Value ?? string.Empty) >= 0)
        {
            return "path";
        }

        foreach (var (name, values) in context.Request.Query)
        {
            if (TextInput.FirstRefused(name) >= 0)
            {
                return "query";
            }

            if (values.Any(v => v is not null && TextInput.FirstRefused(v) >= 0))
            {
                return name;
            }
        }

        // Forms are the hosted pages' and the dashboard's (the API takes JSON only and answers a form with 415);
        // reading one here buffers it for the page that follows.
        if (!context.Request.HasFormContentType || context.Request.Path.StartsWithSegments("/v1"))
        {
            return null;
        }

        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(context.RequestAborted);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            // A malformed form body is the page's to refuse (with 400), not a server error of this guard's.
            return null;
        }

        foreach (var (name, values) in form)
        {
            if (TextInput.FirstRefused(name) >= 0)
            {
                return "form";
            }

            var freeText = TextInput.FreeTextFields.Contains(name);
            if (values.Any(v => v is not null && TextInput.FirstRefused(v, freeText) >= 0))
            {
                return name;
            }
        }

        return null;
    }
}
