using Serilog;
using Serilog.Core;
using Serilog.Formatting;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;

namespace Truust.Api.Telemetry;

/// <summary>
/// The one place log output is chosen. <c>Logs:Format</c> = <c>text</c> (default) or <c>json</c>: one console line
/// per event, JSON with the trace and span ids (<c>@tr</c>, <c>@sp</c>) of the request or worker that wrote it.
/// </summary>
/// <remarks>
/// Every line used to be written twice with JSON "by configuration": the only way was to add a console sink under
/// <c>Serilog:WriteTo</c>, and the host always added its own text console sink next to it. Now the host adds its
/// console sink only when <c>Serilog:WriteTo</c> configures none, in the format <c>Logs:Format</c> names.
/// </remarks>
public static class LogSetup
{
    /// <summary>The console sink's own default layout.</summary>
    public const string TextTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}";

    public static LoggerConfiguration Configure(
        LoggerConfiguration logger,
        IConfiguration configuration,
        IServiceProvider services,
        Func<ITextFormatter, ILogEventSink>? console = null
    )
    {
        logger.ReadFrom.Configuration(configuration).ReadFrom.Services(services).Enrich.FromLogContext();
        if (configuration.GetSection("Serilog:WriteTo").Exists())
        {
            return logger;
        }

        ITextFormatter formatter =
            Format(configuration) == "json"
                ? new RenderedCompactJsonFormatter()
                : new MessageTemplateTextFormatter(TextTemplate);
        // Tests pass their own console to read what would be written.
        return console is null ? logger.WriteTo.Console(formatter) : logger.WriteTo.Sink(console(formatter));
    }

    /// <summary>The configured format; anything but <c>text</c> or <c>json</c> fails the start, naming the
    /// setting.</summary>
    public static string Format(IConfiguration configuration)
    {
        var format = configuration["Logs:Format"] ?? "text";
        return format is "text" or "json"
            ? format
            : throw new InvalidSettingException($"Logs:Format must be 'text' or 'json'; got '{format}'.");
    }
}
