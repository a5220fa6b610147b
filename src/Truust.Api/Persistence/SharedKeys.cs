using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Truust.Api.Persistence;

/// <summary>
/// The Data Protection key ring in PostgreSQL, in its own schema, context and migrations history, so every instance
/// of Truust on one database encrypts and decrypts with the same keys: a dashboard cookie or an antiforgery token
/// issued by one instance is accepted by the others. Without it each process keeps its own key ring and a session
/// breaks whenever the load balancer sends the browser elsewhere. Its own context keeps it out of Truust's model and
/// out of the way of Truust's migrations.
/// </summary>
public sealed class SharedKeysDbContext(DbContextOptions<SharedKeysDbContext> options)
    : DbContext(options),
        IDataProtectionKeyContext
{
    public const string Schema = "data_protection";

    /// <summary>The purpose strings of every protected payload depend on it; the content root must not.</summary>
    public const string ApplicationName = "Truust";

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public static DbContextOptionsBuilder UseDatabase(DbContextOptionsBuilder options, string connectionString) =>
        options
            .UseNpgsql(
                connectionString,
                npgsql => npgsql.MigrationsHistoryTable(HistoryRepository.DefaultTableName, Schema)
            )
            .UseSnakeCaseNamingConvention();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.HasDefaultSchema(Schema);
        model.Entity<DataProtectionKey>().ToTable("keys");
    }
}

public static class SharedKeysSetup
{
    /// <summary>Data Protection with its key ring in the database, migrated at start-up after Truust's own.</summary>
    public static IServiceCollection AddSharedKeys(this IServiceCollection services)
    {
        services.AddDbContext<SharedKeysDbContext>(
            (sp, options) =>
                SharedKeysDbContext.UseDatabase(options, sp.GetRequiredService<DatabaseConnection>().Required)
        );
        services.AddSingleton(new MigratedContext(typeof(SharedKeysDbContext)));
        services
            .AddDataProtection()
            .SetApplicationName(SharedKeysDbContext.ApplicationName)
            .PersistKeysToDbContext<SharedKeysDbContext>();
        return services;
    }
}

/// <summary>Lets 'dotnet ef migrations add --context SharedKeysDbContext' build the model without a database.</summary>
public sealed class SharedKeysDesignTimeFactory : IDesignTimeDbContextFactory<SharedKeysDbContext>
{
    public SharedKeysDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<SharedKeysDbContext>();
        SharedKeysDbContext.UseDatabase(options, "Host=localhost;Database=truust_design");
        return new SharedKeysDbContext(options.Options);
    }
}
