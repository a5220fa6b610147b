using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Truust.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class DisputesNameAMilestone : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "open_dispute_id",
                table: "order_milestones",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "milestone_id",
                table: "disputes",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "open_dispute_id",
                table: "order_milestones");

            migrationBuilder.DropColumn(
                name: "milestone_id",
                table: "disputes");
        }
    }
}
