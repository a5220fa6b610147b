using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Truust.Api.Gateways.Simulated;

/// <summary>Lets 'dotnet ef migrations add --context SimulatorDbContext' build the model without a database.</summary>
public sealed class SimulatorDesignTimeFactory : IDesignTimeDbContextFactory<SimulatorDbContext>
{
    public SimulatorDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<SimulatorDbContext>();
        SimulatorDbContext.UseDatabase(options, "Host=localhost;Database=truust_design");
        return new SimulatorDbContext(options.Options);
    }
}
