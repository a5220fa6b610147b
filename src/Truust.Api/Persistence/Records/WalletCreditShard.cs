using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Truust.Domain.Wallets;

namespace Truust.Api.Persistence.Records;

/// <summary>
/// One of the credit sub-accounts of a wallet that every release pays (a platform's fee wallet): credits land on one
/// of <see cref="Count"/> rows picked at random instead of the wallet's row, so concurrent releases do not queue on
/// one locked row. The wallet's balance is its row's <c>balance_minor</c> plus its shards; a debit folds the shards
/// back into the row (<see cref="DeferredWalletPostings"/>, docs/decisions/0013-fee-wallet-credit-shards.md).
/// Written only by that SQL; EF Core maps it for the migration and the model.
/// </summary>
public sealed class WalletCreditShard
{
    /// <summary>How many sub-accounts a wallet's credits are spread over.</summary>
    public const int Count = 16;

    private WalletCreditShard()
    {
        WalletId = string.Empty;
    }

    public string WalletId { get; private set; }

    public short Shard { get; private set; }

    public long AmountMinor { get; private set; }
}

public sealed class WalletCreditShardConfiguration : IEntityTypeConfiguration<WalletCreditShard>
{
    public void Configure(EntityTypeBuilder<WalletCreditShard> b)
    {
        b.HasKey(s => new { s.WalletId, s.Shard });
        b.HasOne<Wallet>().WithMany().HasForeignKey(s => s.WalletId).OnDelete(DeleteBehavior.Restrict);
        b.ToTable(
            "wallet_credit_shards",
            t =>
            {
                t.HasCheckConstraint("ck_wallet_credit_shards_amount_non_negative", "amount_minor >= 0");
                t.HasCheckConstraint(
                    "ck_wallet_credit_shards_shard",
                    $"shard >= 0 AND shard < {WalletCreditShard.Count}"
                );
            }
        );
    }
}
