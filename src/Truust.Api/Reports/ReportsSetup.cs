using Microsoft.Extensions.DependencyInjection;

namespace Truust.Api.Reports;

public static class ReportsSetup
{
    /// <summary>The reports' services, and the OpenAPI filter that documents their CSV and NDJSON answers.</summary>
    public static IServiceCollection AddReports(this IServiceCollection services)
    {
        services.AddScoped<ReportListService>();
        services.AddScoped<JournalService>();
        services.AddScoped<PayoutSourcesService>();
        services.AddScoped<BalanceService>();
        services.AddScoped<PeriodReportService>();
        services.AddScoped<DailyReconciliationService>();
        services.ConfigureSwaggerGen(options => options.OperationFilter<StreamedReportOperationFilter>());
        return services;
    }
}
