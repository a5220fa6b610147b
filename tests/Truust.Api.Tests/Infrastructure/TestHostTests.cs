using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Truust.Api.Persistence;

namespace Truust.Api.Tests.Infrastructure;

/// <summary>The test host is wired as the other tests assume: own database, test keys, the fake clock.</summary>
public sealed class TestHostTests(TruustApiFactory factory) : IClassFixture<TruustApiFactory>
{
    [Fact]
    public async Task The_app_writes_to_the_database_of_this_test_class()
    {
        var before = await factory.CountAsync("platforms");

        var platform = await factory.CreateTestPlatformAsync("Database check");

        Assert.Equal(before + 1, await factory.CountAsync("platforms"));
        Assert.Equal(1, await factory.CountAsync("platforms", $"id = '{platform.Id}'"));
        using var scope = factory.Services.CreateScope();
        var connection = scope.ServiceProvider.GetRequiredService<DatabaseConnection>();
        Assert.Contains($"Database={factory.DatabaseName}", connection.Required);
    }

    [Fact]
    public async Task The_test_database_has_every_migration_applied()
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<TruustDbContext>();

        var applied = (await db.Database.GetAppliedMigrationsAsync()).ToList();

        Assert.NotEmpty(applied);
        Assert.Equal(db.Database.GetMigrations(), applied);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public async Task The_operator_key_is_the_test_one_not_the_development_one()
    {
        using var development = factory.ClientWithKey("op_dev_truust_operator_key_change_me");
        using var test = factory.OperatorClient();

        await (await development.GetAsync("/v1/platforms")).ReadProblemAsync(
            HttpStatusCode.Unauthorized,
            "unauthenticated"
        );
        await (await test.GetAsync("/v1/platforms")).ReadJsonAsync();
    }

    [Fact]
    public async Task The_application_reads_time_from_the_factory_clock()
    {
        using var client = await factory.CreatePlatformAsync();
        var first = await client.CreateCustomerAsync();
        Assert.Equal(factory.Clock.GetUtcNow(), first.CreatedAt);

        factory.Clock.Advance(TimeSpan.FromDays(3));
        var second = await client.CreateCustomerAsync();

        Assert.Equal(first.CreatedAt + TimeSpan.FromDays(3), second.CreatedAt);
        Assert.Same(factory.Clock, factory.Services.GetRequiredService<TimeProvider>());
        await LedgerInvariants.AssertAsync(factory);
    }
}
