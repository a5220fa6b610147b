using Serilog;
using Truust.Api;
using Truust.Api.Persistence;
using Truust.Api.Telemetry;

Log.Logger = new LoggerConfiguration().WriteTo.Console().CreateBootstrapLogger();

// One-shot modes: `healthcheck` asks a running instance and exits; `migrate` applies the migrations (and creates the
// shared Data Protection key) and exits, so a deployment runs it once before instances that set
// Truust__MigrateOnStartup=false start, instead of every instance racing to migrate.
if (args is [HealthCheckCommand.Name, .. var probeArgs])
{
    return await HealthCheckCommand.RunAsync(probeArgs);
}

var migrateOnly = args is [DatabaseStartup.MigrateCommand, ..];
if (migrateOnly)
{
    args = args[1..];
}

try
{
    var builder = WebApplication.CreateBuilder(args);
    if (migrateOnly)
    {
        builder.Configuration["Truust:MigrateOnStartup"] = "true";
        builder.Configuration["Workers:Enabled"] = "false";
    }

    builder.Services.AddTruust(builder.Configuration);
    // The host's logger is its own (preserveStaticLogger): the static one is shared by every host in the process,
    // so writing through it sent one host's lines to another's sinks, and a host's end closed it for all of them.
    builder.Services.AddSerilog(
        (services, logger) => LogSetup.Configure(logger, builder.Configuration, services),
        preserveStaticLogger: true
    );
    builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = ServiceSetup.MaxRequestBodyBytes);

    var app = builder.Build();
    var localDatabase = await DatabaseStartup.PrepareAsync(app);
    if (migrateOnly)
    {
        DatabaseStartup.EnsureSharedKey(app);
        app.Services.GetRequiredService<Serilog.ILogger>().Information("Migrations applied; exiting");
    }
    else
    {
        app.UseTruust();
        app.Lifetime.ApplicationStarted.Register(() => ServiceSetup.PrintWelcome(app));
        await app.RunAsync();
    }

    if (localDatabase is not null)
    {
        await localDatabase.DisposeAsync();
    }
}
catch (Exception e) when (StartFailure.Reason(e) is { } reason)
{
    // A setting out of range, or no database to start: say which, in one line, instead of a stack trace.
    Log.Fatal("Cannot start: {Reason}", reason);
    await Log.CloseAndFlushAsync();
    return 1;
}

await Log.CloseAndFlushAsync();
return 0;

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
