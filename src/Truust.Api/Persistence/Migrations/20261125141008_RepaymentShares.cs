using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Truust.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class RepaymentShares : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "repayment_shares",
                columns: table => new
                {
                    id = table.Column<string>(type: "text", nullable: false),
                    repayment_id = table.Column<string>(type: "text", nullable: false),
                    campaign_id = table.Column<string>(type: "text", nullable: false),
                    lender_id = table.Column<string>(type: "text", nullable: false),
                    principal_minor = table.Column<long>(type: "bigint", nullable: false),
                    interest_minor = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_repayment_shares", x => x.id);
                    table.ForeignKey(
                        name: "fk_repayment_shares_repayments_repayment_id",
                        column: x => x.repayment_id,
                        principalTable: "repayments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_repayment_shares_campaign_id_lender_id",
                table: "repayment_shares",
                columns: new[] { "campaign_id", "lender_id" });

            migrationBuilder.CreateIndex(
                name: "ix_repayment_shares_repayment_id",
                table: "repayment_shares",
                column: "repayment_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "repayment_shares");
        }
    }
}
