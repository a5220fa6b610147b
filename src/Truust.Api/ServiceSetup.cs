using FluentValidation;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using Serilog;
using Truust.Api.Campaigns;
using Truust.Api.Customers;
using Truust.Api.Disputes;
using Truust.Api.Gateways;
using Truust.Api.Gateways.Simulated;
using Truust.Api.Http;
using Truust.Api.Ledger;
using Truust.Api.Orders;
using Truust.Api.Pages.Dashboard;
using Truust.Api.Pages.Hosted;
using Truust.Api.Payins;
using Truust.Api.Payouts;
using Truust.Api.Persistence;
using Truust.Api.Persistence.Records;
using Truust.Api.Platforms;
using Truust.Api.Reconciliation;
using Truust.Api.Refunds;
using Truust.Api.Reports;
using Truust.Api.Sandbox;
using Truust.Api.Telemetry;
using Truust.Api.Wallets;
using Truust.Api.Webhooks;
using Truust.Api.Workers;

namespace Truust.Api;

/// <summary>The composition root: what Truust registers and in which order its middleware runs.</summary>
public static class ServiceSetup
{
    public const long MaxRequestBodyBytes = 1024 * 1024;

    public static IServiceCollection AddTruust(this IServiceCollection services, IConfiguration configuration)
    {
        services
            .AddOptions<TruustOptions>()
            .Bind(configuration.GetSection("Truust"))
            // Links follow the port Truust runs on (--urls, ASPNETCORE_URLS) unless Truust:PublicBaseUrl says otherwise.
            .PostConfigure(options =>
            {
                if (string.IsNullOrWhiteSpace(options.PublicBaseUrl))
                {
                    options.PublicBaseUrl = TruustOptions.BaseUrlFrom(configuration["urls"]);
                }
            })
            .Validate(
                o => Uri.TryCreate(o.PublicBaseUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https",
                "Truust:PublicBaseUrl must be an absolute http(s) URL (the base of every link Truust hands out)."
            )
            .ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<DatabaseConnection>();
        services.AddSingleton<ReadCacheGeneration>();
        services.AddHostedService<ReadCacheListener>();
        // API keys and webhook endpoints are served from memory this long at most (forgotten at once when changed).
        var readCacheLifetime = TimeSpan.FromSeconds(configuration.GetValue("Truust:ReadCacheSeconds", 5.0));
        services.AddSingleton(sp => new ReadCache<CachedApiKey?>(
            sp.GetRequiredService<ReadCacheGeneration>(),
            readCacheLifetime
        ));
        services.AddSingleton(sp => new ReadCache<List<Truust.Domain.Webhooks.WebhookEndpoint>>(
            sp.GetRequiredService<ReadCacheGeneration>(),
            readCacheLifetime
        ));
        services.AddScoped<RequestIdempotency>();
        services.AddScoped<UnitOfWork>();
        services.AddScoped<DeferredWalletPostings>();
        // Pooled: a request rents a context whose options and services are built once, instead of building them per
        // request. Safe because nothing subscribes to a context's events and its per-use settings (UnitOfWork turns
        // automatic savepoints off on each rental) are reset when it goes back to the pool.
        services.AddDbContextPool<TruustDbContext>(
            (sp, options) =>
                options
                    .UseNpgsql(sp.GetRequiredService<DatabaseConnection>().Required)
                    .UseSnakeCaseNamingConvention()
                    // EF Core would log each failure with its stack trace before the exception reaches the handler
                    // (requests) or the job runner (workers), which log it themselves: once, and in one line when
                    // the database is merely unavailable.
                    .ConfigureWarnings(warnings =>
                        warnings.Log(
                            (RelationalEventId.ConnectionError, LogLevel.Debug),
                            (RelationalEventId.TransactionError, LogLevel.Debug),
                            (CoreEventId.QueryIterationFailed, LogLevel.Debug),
                            (CoreEventId.SaveChangesFailed, LogLevel.Debug)
                        )
                    )
        );
        services.AddSingleton(new MigratedContext(typeof(TruustDbContext)));
        services.AddSharedKeys();

        services
            .AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(
                ApiKeyAuthenticationHandler.SchemeName,
                null
            );
        services.AddAuthorization();

        services
            .AddControllers(options =>
            {
                options.Filters.Add<ValidationFilter>();
                options.Filters.Add<QueryParameterGuard>();
                options.ModelBinderProviders.Insert(0, new UtcTimestamps.Binders());
                options.ModelBinderProviders.Insert(0, new WireEnumBinders());
                options.SuppressImplicitRequiredAttributeForNonNullableReferenceTypes = true;
            })
            .AddJsonOptions(options => JsonDefaults.Configure(options.JsonSerializerOptions))
            .ConfigureApiBehaviorOptions(options =>
            {
                options.InvalidModelStateResponseFactory = ValidationFilter.MalformedRequest;
                // Bodiless client errors (415 and the like) are left to UseStatusCodePages, which adds the code.
                options.SuppressMapClientErrors = true;
            });
        ValidationFilter.UseSnakeCaseNames();
        services.AddValidatorsFromAssemblyContaining<Program>(ServiceLifetime.Singleton);

        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddProblemDetails();
        services.AddHealthChecks().AddDbContextCheck<TruustDbContext>("database", tags: ["ready"]);
        services.AddTruustOpenApi(EventTypes.All);
        services.ConfigureSwaggerGen(options =>
        {
            options.DocumentFilter<EventSchemas>();
            options.SchemaFilter<OpenApiExampleFilter>();
        });
        services.AddHostedPages();
        services.AddDashboard();
        services.AddSingleton<Serilog.Core.ILogEventEnricher, LinkTokenMasking>();

        services.AddScoped<PlatformService>();
        services.AddScoped<PlatformClock>();
        services.AddScoped<SandboxClockService>();
        services.AddScoped<CustomerService>();
        services.AddScoped<WalletService>();
        services.AddScoped<LedgerService>();
        services.AddScoped<EventOutbox>();
        services.AddScoped<OrderService>();
        services.AddScoped<OrderQueries>();
        services.AddScoped<OrderRefundService>();
        services.AddScoped<MilestoneService>();
        services.AddScoped<OrderChargebackService>();
        services.AddScoped<OrderCreationService>();
        services.AddScoped<PayinService>();
        services.AddScoped<PayinOutcomes>();
        services.AddScoped<CardRail>();
        services.AddScoped<WireRail>();
        // What a payin pays for: one implementation per target, each in its feature folder.
        services.AddScoped<IPayinFunding, OrderFunding>();
        services.AddScoped<IPayinFunding, CartFunding>();
        services.AddScoped<IPayinFunding, TopupFunding>();
        services.AddScoped<IPayinFunding, ContributionFunding>();
        services.AddScoped<OrderPaymentService>();
        services.AddScoped<PayoutService>();
        services.AddScoped<ReleasePosting>();
        services.AddScoped<BankSubmission>();
        services.AddScoped<RefundService>();
        services.AddRefundsAfterRelease();
        services.AddScoped<OrderGroupService>();
        services.AddScoped<CampaignService>();
        services.AddScoped<CampaignLifecycle>();
        services.AddScoped<ContributionService>();
        services.AddScoped<LoanService>();
        services.AddScoped<WebhookService>();
        services.Configure<IdempotencyOptions>(configuration.GetSection("Idempotency"));
        services.AddTruustRateLimits(configuration);
        services.AddScoped<WalletFlowService>();
        services.AddReports();
        services.AddScoped<WalletHistory>();
        services.AddReconciliation();

        services.Configure<BankwireOptions>(configuration.GetSection("Gateways:Bankwire"));
        services.AddSimulatedGateways(configuration);

        services.AddWorkers(configuration);
        services.AddPayoutJobs();
        services.AddPayinJobs(configuration);
        services.AddRefundJobs();
        services.AddCampaignJobs();
        services.AddWebhookJobs(configuration);
        services.AddJob<IdempotencyPurgeJob>();
        services.AddDisputes();
        services.AddTruustTelemetry(configuration);
        services.AddProxyHeaders(configuration);
        return services;
    }

    public static WebApplication UseTruust(this WebApplication app)
    {
        // First: everything after it (request log, /metrics, rate limits, links) sees the caller behind the proxy.
        app.UseForwardedHeaders();
        app.UseStaticFiles();
        app.UseSerilogRequestLogging(LinkTokenMasking.Configure(app.Services));
        app.UseTruustMetrics();
        app.UseExceptionHandler();
        app.UseStatusCodePages(context =>
        {
            var status = context.HttpContext.Response.StatusCode;
            return Problems.WriteAsync(
                context.HttpContext,
                status,
                status switch
                {
                    404 => "route_not_found",
                    405 => "method_not_allowed",
                    415 => "unsupported_media_type",
                    _ => $"http_{status}",
                },
                status switch
                {
                    404 => "No such endpoint",
                    405 => "Method not allowed",
                    415 => "Send application/json",
                    _ => "Request failed",
                },
                $"{context.HttpContext.Request.Method} {context.HttpContext.Request.Path} answered {status}."
            );
        });
        app.UseSwagger();
        app.UseSwaggerUI(options =>
        {
            options.SwaggerEndpoint("/swagger/v1/swagger.json", "Truust API v1");
            options.DocumentTitle = "Truust API";
        });
        app.UseMiddleware<ControlCharacterGuard>();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseMiddleware<IdempotencyMiddleware>();
        app.MapControllers();
        app.MapRazorPages();
        // Short-circuited: the probes run straight from routing, before authentication (which looks the key up in
        // the database), rate limiting and everything else, so liveness never depends on the database.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).ShortCircuit();
        app.MapHealthChecks(
                "/health/ready",
                new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }
            )
            .ShortCircuit();
        return app;
    }

    public static void PrintWelcome(WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<TruustOptions>>().Value;
        var log = app.Services.GetRequiredService<Serilog.ILogger>();
        // A wildcard binding (http://[::]:8080 in a container, http://+:8080) is no address to open: the public one is.
        var bound = app.Urls.FirstOrDefault();
        var url = bound is null || TruustOptions.IsWildcard(bound) ? options.PublicBaseUrl.TrimEnd('/') : bound;
        log.Information("Truust is running at {Url:l}", url);
        log.Information("Swagger UI: {Url:l}/swagger", url);
        if (options.SeedDemo)
        {
            log.Information("Demo platform API key: {Key:l}", options.DemoApiKey);
        }

        if (options.OperatorKey.Length > 0 && app.Environment.IsDevelopment())
        {
            log.Information("Operator key (development only): {Key:l}", options.OperatorKey);
        }
    }
}
