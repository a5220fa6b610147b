using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Truust.Api.Persistence;
using Truust.Domain.Ledger;

namespace Truust.Api.Ledger;

public sealed class LedgerTransferConfiguration : IEntityTypeConfiguration<LedgerTransfer>
{
    public void Configure(EntityTypeBuilder<LedgerTransfer> b)
    {
        b.HasKey(t => t.Id);
        // The default numbers rows written outside LedgerService (existing rows, SQL fixtures) in insert order.
        b.Property(t => t.PostingSequence).HasDefaultValueSql($"nextval('{TruustDbContext.LedgerPostingSequence}')");
        b.HasIndex(t => t.DebitAccount);
        b.HasIndex(t => t.CreditAccount);
        b.HasIndex(t => t.OrderId);
        b.HasIndex(t => t.Reference);
        // The journal's keyset (GET /v1/journal pages in posting order per platform) and the reports' date ranges.
        b.HasIndex(t => new
        {
            t.PlatformId,
            t.PostingSequence,
            t.Id,
        });
        b.HasIndex(t => new { t.PlatformId, t.CreatedAt });
        b.ToTable(t =>
        {
            t.HasCheckConstraint("ck_ledger_transfers_amount_positive", "amount_minor > 0");
            t.HasCheckConstraint("ck_ledger_transfers_distinct_accounts", "debit_account <> credit_account");
        });
    }
}
