using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Truust.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class PlatformSandboxClock : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "clock_offset_seconds",
                table: "platforms",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddCheckConstraint(
                name: "ck_platforms_clock_offset_non_negative",
                table: "platforms",
                sql: "clock_offset_seconds >= 0");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_platforms_clock_offset_non_negative",
                table: "platforms");

            migrationBuilder.DropColumn(
                name: "clock_offset_seconds",
                table: "platforms");
        }
    }
}
