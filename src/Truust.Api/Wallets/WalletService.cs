using Microsoft.EntityFrameworkCore;
using Truust.Api.Customers;
using Truust.Api.Http;
using Truust.Api.Persistence;
using Truust.Domain;
using Truust.Domain.Wallets;

namespace Truust.Api.Wallets;

/// <summary>Wallets: one per customer and currency, balances kept by the ledger.</summary>
public sealed class WalletService(
    TruustDbContext db,
    UnitOfWork unitOfWork,
    CustomerService customers,
    TimeProvider clock
)
{
    // Compiled once: GET /v1/wallets/{id} is the hottest read, and EF Core would otherwise walk and look up the
    // query's expression tree on every call (measured: a tenth of the read's CPU).
    private static readonly Func<TruustDbContext, string, CancellationToken, Task<Wallet?>> WalletById =
        EF.CompileAsyncQuery(
            (TruustDbContext db, string id, CancellationToken ct) =>
                db.Wallets.AsNoTracking().FirstOrDefault(w => w.Id == id)
        );

    public async Task<WalletResponse> CreateAsync(Caller caller, CreateWalletRequest request, CancellationToken ct)
    {
        var customer = await customers.FindAsync(caller, request.CustomerId!, ct);
        var currency = Currency.Of(request.Currency!).Code;
        if (await db.Wallets.AnyAsync(w => w.CustomerId == customer.Id && w.Currency == currency, ct))
        {
            throw new ConflictException(
                "wallet_exists",
                $"Customer {customer.Id} already has a {currency} wallet; a customer has one wallet per currency."
            );
        }

        var wallet = new Wallet(customer.PlatformId, customer.Id, currency, WalletKind.Customer, clock.GetUtcNow());
        db.Wallets.Add(wallet);
        await unitOfWork.SaveAsync(ct);
        return WalletResponse.From(wallet);
    }

    /// <summary>The caller's wallet, read fresh (its balance changes under guarded SQL, not through
    /// tracking).</summary>
    public async Task<Wallet> FindAsync(Caller caller, string id, CancellationToken ct)
    {
        var wallet = await WalletById(db, id, ct);
        return wallet is not null && caller.CanSee(wallet.PlatformId)
            ? wallet
            : throw new NotFoundException("wallet", id);
    }

    public Task<Page<WalletResponse>> ListAsync(Caller caller, WalletListQuery query, CancellationToken ct)
    {
        var wallets = db.Wallets.Where(w => w.PlatformId == caller.RequirePlatform());
        if (query.CustomerId is { } customerId)
        {
            wallets = wallets.Where(w => w.CustomerId == customerId);
        }

        return Paging.PageAsync(wallets, query, WalletResponse.From, ct);
    }

    /// <summary>The customer's wallet in <paramref name="currency"/>, created empty when it does not exist
    /// yet.</summary>
    public async Task<Wallet> GetOrCreateForCustomerAsync(
        string platformId,
        string customerId,
        string currency,
        CancellationToken ct
    )
    {
        var wallet = await db.Wallets.FirstOrDefaultAsync(
            w => w.CustomerId == customerId && w.Currency == currency && w.Kind == WalletKind.Customer,
            ct
        );
        if (wallet is not null)
        {
            return wallet;
        }

        wallet = new Wallet(platformId, customerId, currency, WalletKind.Customer, clock.GetUtcNow());
        db.Wallets.Add(wallet);
        await unitOfWork.SaveAsync(ct);
        return wallet;
    }

    /// <summary>The platform's fee wallet in a currency, created on first use.</summary>
    public async Task<Wallet> GetOrCreateFeeWalletAsync(string platformId, string currency, CancellationToken ct)
    {
        var wallet = await db
            .Wallets.AsNoTracking()
            .FirstOrDefaultAsync(
                w => w.PlatformId == platformId && w.Currency == currency && w.Kind == WalletKind.PlatformFees,
                ct
            );
        if (wallet is not null)
        {
            return wallet;
        }

        // Inserted and committed on its own connection-level statement so a concurrent release creating the same
        // wallet meets the unique index, not a duplicate; ON CONFLICT keeps the first.
        var id = Ids.New("wal");
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            INSERT INTO wallets (id, platform_id, customer_id, currency, kind, balance_minor, created_at)
            VALUES ({id}, {platformId}, NULL, {currency}, 'PLATFORM_FEES', 0, {clock.GetUtcNow()})
            ON CONFLICT DO NOTHING
            """,
            ct
        );
        return await db
            .Wallets.AsNoTracking()
            .FirstAsync(
                w => w.PlatformId == platformId && w.Currency == currency && w.Kind == WalletKind.PlatformFees,
                ct
            );
    }
}
