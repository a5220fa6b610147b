using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Truust.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ReportFilterIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_refunds_platform_id_id",
                table: "refunds",
                columns: new[] { "platform_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_payouts_platform_id_id",
                table: "payouts",
                columns: new[] { "platform_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_ledger_transfers_platform_id_created_at",
                table: "ledger_transfers",
                columns: new[] { "platform_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_ledger_transfers_platform_id_posting_sequence_id",
                table: "ledger_transfers",
                columns: new[] { "platform_id", "posting_sequence", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_refunds_platform_id_id",
                table: "refunds");

            migrationBuilder.DropIndex(
                name: "ix_payouts_platform_id_id",
                table: "payouts");

            migrationBuilder.DropIndex(
                name: "ix_ledger_transfers_platform_id_created_at",
                table: "ledger_transfers");

            migrationBuilder.DropIndex(
                name: "ix_ledger_transfers_platform_id_posting_sequence_id",
                table: "ledger_transfers");
        }
    }
}
