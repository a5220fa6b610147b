using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Truust.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class CampaignStatusHistory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "campaign_status_changes",
                columns: table => new
                {
                    id = table.Column<string>(type: "text", nullable: false),
                    campaign_id = table.Column<string>(type: "text", nullable: false),
                    from = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    to = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    trigger = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    actor = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    reason = table.Column<string>(type: "text", nullable: true),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_campaign_status_changes", x => x.id);
                    table.ForeignKey(
                        name: "fk_campaign_status_changes_campaigns_campaign_id",
                        column: x => x.campaign_id,
                        principalTable: "campaigns",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_campaign_status_changes_campaign_id_at",
                table: "campaign_status_changes",
                columns: new[] { "campaign_id", "at" });

            // Append-only like the order history: a status change, once recorded, is never rewritten.
            migrationBuilder.Sql(@"
CREATE TRIGGER tr_campaign_status_changes_append_only BEFORE UPDATE OR DELETE ON campaign_status_changes
    FOR EACH ROW EXECUTE FUNCTION ledger_transfers_append_only();");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER tr_campaign_status_changes_append_only ON campaign_status_changes;");
            migrationBuilder.DropTable(
                name: "campaign_status_changes");
        }
    }
}
