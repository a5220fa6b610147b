using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Truust.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class RefundsAfterReleaseWithReserveAndSellerDebts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "rolling_reserve_bp",
                table: "platforms",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "rolling_reserve_days",
                table: "platforms",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "reserve_holds",
                columns: table => new
                {
                    id = table.Column<string>(type: "text", nullable: false),
                    platform_id = table.Column<string>(type: "text", nullable: false),
                    customer_id = table.Column<string>(type: "text", nullable: false),
                    currency = table.Column<string>(type: "text", nullable: false),
                    amount_minor = table.Column<long>(type: "bigint", nullable: false),
                    order_id = table.Column<string>(type: "text", nullable: false),
                    payout_id = table.Column<string>(type: "text", nullable: false),
                    wallet_id = table.Column<string>(type: "text", nullable: true),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    held_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    freed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_reserve_holds", x => x.id);
                    table.CheckConstraint("ck_reserve_holds_amount_positive", "amount_minor > 0");
                });

            migrationBuilder.CreateTable(
                name: "seller_debts",
                columns: table => new
                {
                    id = table.Column<string>(type: "text", nullable: false),
                    platform_id = table.Column<string>(type: "text", nullable: false),
                    customer_id = table.Column<string>(type: "text", nullable: false),
                    currency = table.Column<string>(type: "text", nullable: false),
                    order_id = table.Column<string>(type: "text", nullable: false),
                    refund_id = table.Column<string>(type: "text", nullable: false),
                    amount_minor = table.Column<long>(type: "bigint", nullable: false),
                    recovered_minor = table.Column<long>(type: "bigint", nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    settled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_seller_debts", x => x.id);
                    table.CheckConstraint("ck_seller_debts_amount_positive", "amount_minor > 0");
                    table.CheckConstraint("ck_seller_debts_recovered_within_amount", "recovered_minor >= 0 AND recovered_minor <= amount_minor");
                });

            migrationBuilder.CreateIndex(
                name: "ux_wallets_platform_reserve_currency",
                table: "wallets",
                columns: new[] { "platform_id", "currency" },
                unique: true,
                filter: "kind = 'PLATFORM_RESERVE'");

            migrationBuilder.CreateIndex(
                name: "ix_reserve_holds_held",
                table: "reserve_holds",
                column: "held_until",
                filter: "status = 'HELD'");

            migrationBuilder.CreateIndex(
                name: "ix_reserve_holds_order_id",
                table: "reserve_holds",
                column: "order_id");

            migrationBuilder.CreateIndex(
                name: "ix_seller_debts_customer_id_id",
                table: "seller_debts",
                columns: new[] { "customer_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_seller_debts_open",
                table: "seller_debts",
                columns: new[] { "platform_id", "customer_id", "currency" },
                filter: "status = 'OPEN'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "reserve_holds");

            migrationBuilder.DropTable(
                name: "seller_debts");

            migrationBuilder.DropIndex(
                name: "ux_wallets_platform_reserve_currency",
                table: "wallets");

            migrationBuilder.DropColumn(
                name: "rolling_reserve_bp",
                table: "platforms");

            migrationBuilder.DropColumn(
                name: "rolling_reserve_days",
                table: "platforms");
        }
    }
}
