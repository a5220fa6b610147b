using Serilog;
using Truust.Api;
using Truust.Api.Persistence;

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

var builder = WebApplication.CreateBuilder(args);
if (migrateOnly)
{
    builder.Configuration["Truust:MigrateOnStartup"] = "true";
    builder.Configuration["Workers:Enabled"] = "false";
}

builder.Services.AddTruust(builder.Configuration);
builder.Services.AddSerilog(
    (services, logger) =>
        logger
            .ReadFrom.Configuration(builder.Configuration)
            .ReadFrom.Services(services)
            .Enrich.FromLogContext()
            .WriteTo.Console()
);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = ServiceSetup.MaxRequestBodyBytes);

var app = builder.Build();
LocalPostgres? localDatabase;
try
{
    localDatabase = await DatabaseStartup.PrepareAsync(app);
    if (migrateOnly)
    {
        DatabaseStartup.EnsureSharedKey(app);
        Log.Information("Migrations applied; exiting");
        if (localDatabase is not null)
        {
            await localDatabase.DisposeAsync();
        }

        await Log.CloseAndFlushAsync();
        return 0;
    }
}
catch (LocalPostgresUnavailableException e)
{
    Log.Fatal("Cannot start: {Reason}", e.Message);
    await Log.CloseAndFlushAsync();
    return 1;
}

app.UseTruust();
app.Lifetime.ApplicationStarted.Register(() => ServiceSetup.PrintWelcome(app));
await app.RunAsync();
if (localDatabase is not null)
{
    await localDatabase.DisposeAsync();
}

await Log.CloseAndFlushAsync();
return 0;

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
