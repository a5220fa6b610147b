using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Truust.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class FeeWalletCreditShards : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "wallet_credit_shards",
                columns: table => new
                {
                    wallet_id = table.Column<string>(type: "text", nullable: false),
                    shard = table.Column<short>(type: "smallint", nullable: false),
                    amount_minor = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_wallet_credit_shards", x => new { x.wallet_id, x.shard });
                    table.CheckConstraint("ck_wallet_credit_shards_amount_non_negative", "amount_minor >= 0");
                    table.CheckConstraint("ck_wallet_credit_shards_shard", "shard >= 0 AND shard < 16");
                    table.ForeignKey(
                        name: "fk_wallet_credit_shards_wallets_wallet_id",
                        column: x => x.wallet_id,
                        principalTable: "wallets",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "wallet_credit_shards");
        }
    }
}
