using Serilog;
using Truust.Api;
using Truust.Api.Persistence;

Log.Logger = new LoggerConfiguration().WriteTo.Console().CreateBootstrapLogger();

var builder = WebApplication.CreateBuilder(args);
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
