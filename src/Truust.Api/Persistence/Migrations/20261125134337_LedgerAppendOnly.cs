using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Truust.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class LedgerAppendOnly : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The ledger is append-only: a correction is a new reversing transfer. Without this trigger a stray
            // UPDATE or DELETE could rewrite history and make balances disagree with their transfers.
            migrationBuilder.Sql(@"
CREATE FUNCTION ledger_transfers_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger_transfers is append-only: % refused', TG_OP;
END $$;
CREATE TRIGGER tr_ledger_transfers_append_only BEFORE UPDATE OR DELETE ON ledger_transfers
    FOR EACH ROW EXECUTE FUNCTION ledger_transfers_append_only();
CREATE TRIGGER tr_order_status_changes_append_only BEFORE UPDATE OR DELETE ON order_status_changes
    FOR EACH ROW EXECUTE FUNCTION ledger_transfers_append_only();");

        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(@"
DROP TRIGGER tr_order_status_changes_append_only ON order_status_changes;
DROP TRIGGER tr_ledger_transfers_append_only ON ledger_transfers;
DROP FUNCTION ledger_transfers_append_only();");

        }
    }
}
