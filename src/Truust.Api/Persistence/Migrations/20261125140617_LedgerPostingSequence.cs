using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Truust.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class LedgerPostingSequence : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateSequence(
                name: "ledger_posting_seq");

            // A volatile default fills the column for existing rows while the table is rewritten (no row trigger
            // fires, so the append-only trigger does not object); LedgerService sets it for every new posting.
            migrationBuilder.AddColumn<long>(
                name: "posting_sequence",
                table: "ledger_transfers",
                type: "bigint",
                nullable: false,
                defaultValueSql: "nextval('ledger_posting_seq')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "posting_sequence",
                table: "ledger_transfers");

            migrationBuilder.DropSequence(
                name: "ledger_posting_seq");
        }
    }
}
