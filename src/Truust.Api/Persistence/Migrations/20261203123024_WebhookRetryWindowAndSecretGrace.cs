using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Truust.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class WebhookRetryWindowAndSecretGrace : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "failing_since",
                table: "webhook_endpoints",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "previous_secret",
                table: "webhook_endpoints",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "previous_secret_expires_at",
                table: "webhook_endpoints",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "throttled_until",
                table: "webhook_endpoints",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "consecutive_failures",
                table: "webhook_deliveries",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "failing_since",
                table: "webhook_deliveries",
                type: "timestamp with time zone",
                nullable: true);

            // Deliveries abandoned unsent because their endpoint was disabled are queued again: a disabled endpoint
            // now keeps its events and gets them once it is enabled.
            migrationBuilder.Sql(
                "UPDATE webhook_deliveries SET status = 'PENDING', last_error = NULL, next_attempt_at = now() "
                    + "WHERE status = 'FAILED' AND last_error = 'endpoint disabled';");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "failing_since",
                table: "webhook_endpoints");

            migrationBuilder.DropColumn(
                name: "previous_secret",
                table: "webhook_endpoints");

            migrationBuilder.DropColumn(
                name: "previous_secret_expires_at",
                table: "webhook_endpoints");

            migrationBuilder.DropColumn(
                name: "throttled_until",
                table: "webhook_endpoints");

            migrationBuilder.DropColumn(
                name: "consecutive_failures",
                table: "webhook_deliveries");

            migrationBuilder.DropColumn(
                name: "failing_since",
                table: "webhook_deliveries");
        }
    }
}
