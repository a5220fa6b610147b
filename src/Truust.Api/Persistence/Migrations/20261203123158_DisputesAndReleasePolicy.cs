using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Truust.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class DisputesAndReleasePolicy : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Rows from before the release policy get the default policy (ReleasePolicy.Default).
            migrationBuilder.AddColumn<bool>(
                name: "auto_validate",
                table: "platforms",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "buyer_response_hours",
                table: "platforms",
                type: "integer",
                nullable: false,
                defaultValue: 72);

            migrationBuilder.AddColumn<int>(
                name: "inspection_hours",
                table: "platforms",
                type: "integer",
                nullable: false,
                defaultValue: 72);

            migrationBuilder.AddColumn<int>(
                name: "seller_response_hours",
                table: "platforms",
                type: "integer",
                nullable: false,
                defaultValue: 72);

            migrationBuilder.AddColumn<string>(
                name: "silence_winner",
                table: "platforms",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "COUNTERPARTY");

            migrationBuilder.AddColumn<bool>(
                name: "auto_validate",
                table: "orders",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "buyer_response_hours",
                table: "orders",
                type: "integer",
                nullable: false,
                defaultValue: 72);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "delivered_at",
                table: "orders",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "inspection_ends_at",
                table: "orders",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "inspection_hours",
                table: "orders",
                type: "integer",
                nullable: false,
                defaultValue: 72);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "next_attempt_at",
                table: "orders",
                type: "timestamp with time zone",
                nullable: false,
                defaultValueSql: "now()");

            migrationBuilder.AddColumn<string>(
                name: "open_dispute_id",
                table: "orders",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "seller_response_hours",
                table: "orders",
                type: "integer",
                nullable: false,
                defaultValue: 72);

            migrationBuilder.AddColumn<string>(
                name: "silence_winner",
                table: "orders",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "COUNTERPARTY");

            migrationBuilder.AddColumn<string>(
                name: "tracking_carrier",
                table: "orders",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "tracking_number",
                table: "orders",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "tracking_url",
                table: "orders",
                type: "character varying(2048)",
                maxLength: 2048,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "disputes",
                columns: table => new
                {
                    id = table.Column<string>(type: "text", nullable: false),
                    platform_id = table.Column<string>(type: "text", nullable: false),
                    order_id = table.Column<string>(type: "text", nullable: false),
                    currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    reason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    deadline_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    seller_answer = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    offered_minor = table.Column<long>(type: "bigint", nullable: true),
                    refunded_minor = table.Column<long>(type: "bigint", nullable: true),
                    outcome = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    seller_response_hours = table.Column<int>(type: "integer", nullable: false),
                    buyer_response_hours = table.Column<int>(type: "integer", nullable: false),
                    silence_winner = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    entries = table.Column<string>(type: "jsonb", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    closed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_disputes", x => x.id);
                    table.CheckConstraint("ck_disputes_amounts_non_negative", "(offered_minor IS NULL OR offered_minor > 0) AND (refunded_minor IS NULL OR refunded_minor >= 0)");
                    table.ForeignKey(
                        name: "fk_disputes_orders_order_id",
                        column: x => x.order_id,
                        principalTable: "orders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_disputes_platforms_platform_id",
                        column: x => x.platform_id,
                        principalTable: "platforms",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_orders_inspection_due",
                table: "orders",
                column: "inspection_ends_at",
                filter: "status = 'PENDING_VALIDATE' AND auto_validate");

            migrationBuilder.CreateIndex(
                name: "ix_disputes_open_deadline",
                table: "disputes",
                column: "deadline_at",
                filter: "status IN ('AWAITING_SELLER', 'AWAITING_BUYER')");

            migrationBuilder.CreateIndex(
                name: "ix_disputes_order_id",
                table: "disputes",
                column: "order_id");

            migrationBuilder.CreateIndex(
                name: "ix_disputes_platform_id_order_id",
                table: "disputes",
                columns: new[] { "platform_id", "order_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "disputes");

            migrationBuilder.DropIndex(
                name: "ix_orders_inspection_due",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "auto_validate",
                table: "platforms");

            migrationBuilder.DropColumn(
                name: "buyer_response_hours",
                table: "platforms");

            migrationBuilder.DropColumn(
                name: "inspection_hours",
                table: "platforms");

            migrationBuilder.DropColumn(
                name: "seller_response_hours",
                table: "platforms");

            migrationBuilder.DropColumn(
                name: "silence_winner",
                table: "platforms");

            migrationBuilder.DropColumn(
                name: "auto_validate",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "buyer_response_hours",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "delivered_at",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "inspection_ends_at",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "inspection_hours",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "next_attempt_at",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "open_dispute_id",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "seller_response_hours",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "silence_winner",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "tracking_carrier",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "tracking_number",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "tracking_url",
                table: "orders");
        }
    }
}
