using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Truust.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class BankReleasesReserveSellerDebts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "reserved_minor",
                table: "seller_debts",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "debt_recovery_minor",
                table: "payouts",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddCheckConstraint(
                name: "ck_seller_debts_reserved_within_outstanding",
                table: "seller_debts",
                sql: "reserved_minor >= 0 AND recovered_minor + reserved_minor <= amount_minor");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_seller_debts_reserved_within_outstanding",
                table: "seller_debts");

            migrationBuilder.DropColumn(
                name: "reserved_minor",
                table: "seller_debts");

            migrationBuilder.DropColumn(
                name: "debt_recovery_minor",
                table: "payouts");
        }
    }
}
