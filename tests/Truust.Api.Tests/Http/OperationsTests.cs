using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;
using Truust.Api.Telemetry;
using Truust.Api.Tests.Infrastructure;

namespace Truust.Api.Tests.Http;

/// <summary>Start-up checks of the settings, and the log output the host writes.</summary>
public sealed class OperationsTests
{
    [Theory]
    [InlineData("Webhooks__RetryJitter", "5", "RetryJitter")]
    [InlineData("Telemetry__MetricsAllowedNetworks__0", "everyone", "Telemetry:MetricsAllowedNetworks")]
    [InlineData("ForwardedHeaders__KnownProxies__0", "the-proxy", "ForwardedHeaders:KnownProxies:0")]
    public async Task A_bad_setting_stops_the_start_with_one_line_naming_it(string key, string value, string named)
    {
        var server = await TestDatabaseServer.GetAsync();
        var connectionString = await server.CreateDatabaseAsync();
        try
        {
            var settings = new Dictionary<string, string>
            {
                ["ConnectionStrings__Truust"] = connectionString,
                ["Truust__MigrateOnStartup"] = "false",
                [key] = value,
            };
            var failure = await Assert.ThrowsAsync<InvalidOperationException>(() =>
                ApiProcess.StartAsync(settings, TimeSpan.FromSeconds(60))
            );

            Assert.Contains("exited with code 1", failure.Message);
            var reason = Assert.Single(failure.Message.Split('\n'), l => l.Contains("Cannot start:"));
            Assert.Contains(named, reason);
        }
        finally
        {
            await server.ReleaseDatabaseAsync(connectionString);
        }
    }

    [Fact]
    public void Json_logs_write_each_event_once_with_the_trace_id_alone()
    {
        using var activity = new Activity("request").SetIdFormat(ActivityIdFormat.W3C).Start();

        var lines = Write(new() { ["Logs:Format"] = "json" }, "Order {OrderId} released", "ord_1");

        var line = Assert.Single(lines);
        using var json = JsonDocument.Parse(line);
        Assert.Equal("Order \"ord_1\" released", json.RootElement.GetProperty("@m").GetString());
        Assert.Equal(activity.TraceId.ToHexString(), json.RootElement.GetProperty("@tr").GetString());
        Assert.Equal(activity.SpanId.ToHexString(), json.RootElement.GetProperty("@sp").GetString());
    }

    [Fact]
    public void Text_logs_write_each_event_once_and_a_configured_sink_replaces_the_console()
    {
        var text = Assert.Single(Write([], "Order {OrderId} released", "ord_2"));
        Assert.Contains("Order ord_2 released", text);

        // A sink configured under Serilog:WriteTo is the output: the host adds no console of its own next to it,
        // which is what wrote every line twice.
        Assert.Empty(Write(new() { ["Serilog:WriteTo:0:Name"] = "Debug" }, "Order {OrderId} released", "ord_3"));
        Assert.Throws<InvalidSettingException>(() => Write(new() { ["Logs:Format"] = "xml" }, "x", ""));
    }

    private static List<string> Write(Dictionary<string, string?> settings, string template, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var output = new StringWriter();
        using (
            var logger = LogSetup
                .Configure(
                    new LoggerConfiguration(),
                    configuration,
                    new ServiceCollection().BuildServiceProvider(),
                    formatter => new WriterSink(formatter, output)
                )
                .CreateLogger()
        )
        {
            logger.Information(template, value);
        }

        return output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    private sealed class WriterSink(ITextFormatter formatter, TextWriter output) : ILogEventSink
    {
        public void Emit(LogEvent logEvent) => formatter.Format(logEvent, output);
    }
}
