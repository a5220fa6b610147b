using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Truust.Api.Gateways.Simulated;

/// <summary>
/// The simulated card processor's and bank's own records, in their own schema and their own context: they stand
/// for systems outside Truust, so they never commit with (or roll back with) a Truust transaction, and Truust's
/// code cannot reach them through <see cref="Persistence.TruustDbContext"/>.
/// </summary>
public sealed class SimulatorDbContext(DbContextOptions<SimulatorDbContext> options) : DbContext(options)
{
    public const string Schema = "simulator";

    public DbSet<SimulatedCardCharge> CardCharges => Set<SimulatedCardCharge>();

    public DbSet<SimulatedCardRefund> CardRefunds => Set<SimulatedCardRefund>();

    public DbSet<SimulatedBankTransfer> BankTransfers => Set<SimulatedBankTransfer>();

    /// <summary>The simulator's connection options: Truust's database, its own schema and migrations history.</summary>
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
        model.Entity<SimulatedCardCharge>(b => b.ToTable("card_charges").HasKey(c => c.Reference));
        model.Entity<SimulatedCardRefund>(b => b.ToTable("card_refunds").HasKey(r => r.Reference));
        model.Entity<SimulatedBankTransfer>(b => b.ToTable("bank_transfers").HasKey(t => t.Reference));
    }
}
