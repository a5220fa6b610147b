using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Truust.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ReleaseTraceContext : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "release_trace_parent",
                table: "orders",
                type: "character varying(55)",
                maxLength: 55,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "release_trace_parent",
                table: "orders");
        }
    }
}
