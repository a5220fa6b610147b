using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Truust.Domain.Customers;

namespace Truust.Api.Customers;

public sealed class BankAccountConfiguration : IEntityTypeConfiguration<BankAccount>
{
    public void Configure(EntityTypeBuilder<BankAccount> b)
    {
        b.HasKey(a => a.Id);
        b.Ignore(a => a.IbanMasked);
        b.HasIndex(a => new { a.CustomerId, a.Id });
        b.HasOne<Customer>().WithMany().HasForeignKey(a => a.CustomerId);
    }
}
