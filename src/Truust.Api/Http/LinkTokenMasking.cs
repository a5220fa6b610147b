using System.Text.RegularExpressions;
using Serilog.AspNetCore;
using Serilog.Core;
using Serilog.Events;

namespace Truust.Api.Http;

/// <summary>
/// Keeps the secret part of buyer, seller and payment links (<c>/b/{token}</c>, <c>/s/{token}</c>,
/// <c>/pay/{token}</c>) out of the logs. A token is the only credential of its link: anyone who can read the logs
/// could otherwise pay, accept or reject in the link holder's place. The request log writes <c>/b/***</c>; the
/// enricher rewrites any other log property that carries such a path (the hosting scope's <c>RequestPath</c>, an
/// error's <c>Path</c>).
/// </summary>
public sealed partial class LinkTokenMasking : ILogEventEnricher
{
    public const string Mask = "***";

    /// <summary>The path with the token of a link replaced by <see cref="Mask"/>; other paths unchanged.</summary>
    public static string MaskPath(string path) => LinkPath().Replace(path, "${prefix}" + Mask);

    /// <summary>Serilog's request log, with the same message and properties as its default, the path masked.</summary>
    public static void Configure(RequestLoggingOptions options) =>
        options.GetMessageTemplateProperties = (context, _, elapsedMs, statusCode) =>
            [
                new LogEventProperty("RequestMethod", new ScalarValue(context.Request.Method)),
                new LogEventProperty(
                    "RequestPath",
                    new ScalarValue(MaskPath(context.Request.Path.Value ?? string.Empty))
                ),
                new LogEventProperty("StatusCode", new ScalarValue(statusCode)),
                new LogEventProperty("Elapsed", new ScalarValue(elapsedMs)),
            ];

    /// <summary>
    /// As <see cref="Configure(RequestLoggingOptions)"/>, writing through the host's own Serilog logger (with this
    /// enricher) rather than the static <c>Log.Logger</c>, which another host in the same process may have replaced.
    /// </summary>
    public static Action<RequestLoggingOptions> Configure(IServiceProvider services) =>
        options =>
        {
            Configure(options);
            options.Logger = services.GetService<Serilog.ILogger>();
        };

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        List<LogEventProperty>? masked = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            if (value is ScalarValue { Value: string text } && LinkPath().IsMatch(text))
            {
                (masked ??= []).Add(new LogEventProperty(name, new ScalarValue(MaskPath(text))));
            }
        }

        foreach (var property in masked ?? [])
        {
            logEvent.AddOrUpdateProperty(property);
        }
    }

    // A link path at the start of a value, after a space or quote, or after a URL's host. A token is letters, digits,
    // '-' and '_' (HostedPageModel.IsPlausibleToken); the mask covers whatever sits in that segment, so a malformed
    // token is not logged either.
    [GeneratedRegex(@"(?<prefix>(?:^|[\s""'=(]|//[^/\s]+)/(?:b|s|pay)/)[^/?#\s""']+", RegexOptions.CultureInvariant)]
    private static partial Regex LinkPath();
}
