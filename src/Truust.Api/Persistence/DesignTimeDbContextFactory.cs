using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Truust.Api.Persistence;

/// <summary>Lets 'dotnet ef migrations add' build the model without starting the service or a database.</summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<TruustDbContext>
{
    public TruustDbContext CreateDbContext(string[] args) =>
        new(
            new DbContextOptionsBuilder<TruustDbContext>()
                .UseNpgsql("Host=localhost;Database=truust_design")
                .UseSnakeCaseNamingConvention()
                .Options
        );
}
