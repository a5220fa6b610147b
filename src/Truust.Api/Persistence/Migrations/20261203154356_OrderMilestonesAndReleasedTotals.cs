using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Truust.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class OrderMilestonesAndReleasedTotals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "milestone_id",
                table: "refunds",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "has_milestones",
                table: "orders",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<long>(
                name: "released_minor",
                table: "orders",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            // What left escrow to the seller side of orders already released: their amount less their refunds.
            migrationBuilder.Sql(
                "UPDATE orders SET released_minor = amount_minor - refunded_minor WHERE status = 'RELEASED'"
            );

            migrationBuilder.CreateTable(
                name: "order_milestones",
                columns: table => new
                {
                    id = table.Column<string>(type: "text", nullable: false),
                    order_id = table.Column<string>(type: "text", nullable: false),
                    platform_id = table.Column<string>(type: "text", nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    amount_minor = table.Column<long>(type: "bigint", nullable: false),
                    basis_points = table.Column<long>(type: "bigint", nullable: true),
                    inspection_hours = table.Column<int>(type: "integer", nullable: true),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    refunded_minor = table.Column<long>(type: "bigint", nullable: false),
                    released_minor = table.Column<long>(type: "bigint", nullable: false),
                    payout_id = table.Column<string>(type: "text", nullable: true),
                    delivered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    inspection_ends_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    released_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_order_milestones", x => x.id);
                    table.CheckConstraint("ck_order_milestones_amount_positive", "amount_minor > 0");
                    table.CheckConstraint("ck_order_milestones_within_amount", "refunded_minor >= 0 AND released_minor >= 0 AND refunded_minor + released_minor <= amount_minor");
                    table.ForeignKey(
                        name: "fk_order_milestones_orders_order_id",
                        column: x => x.order_id,
                        principalTable: "orders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_refunds_milestone_id",
                table: "refunds",
                column: "milestone_id");

            migrationBuilder.CreateIndex(
                name: "ix_order_milestones_inspection_due",
                table: "order_milestones",
                column: "inspection_ends_at",
                filter: "status = 'DELIVERED' AND inspection_ends_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_order_milestones_order_id_position",
                table: "order_milestones",
                columns: new[] { "order_id", "position" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "order_milestones");

            migrationBuilder.DropIndex(
                name: "ix_refunds_milestone_id",
                table: "refunds");

            migrationBuilder.DropColumn(
                name: "milestone_id",
                table: "refunds");

            migrationBuilder.DropColumn(
                name: "has_milestones",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "released_minor",
                table: "orders");
        }
    }
}
