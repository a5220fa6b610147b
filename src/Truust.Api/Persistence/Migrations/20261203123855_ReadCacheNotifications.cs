using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Truust.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ReadCacheNotifications : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // API keys and webhook endpoints are cached in memory for a few seconds (ReadCacheGeneration): any change
            // to them, by any writer, tells every process listening on 'truust_cache' to forget them.
            migrationBuilder.Sql(
                """
                CREATE FUNCTION truust_cache_notify() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('truust_cache', TG_TABLE_NAME);
                    RETURN NULL;
                END $$;
                CREATE TRIGGER api_keys_cache_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON api_keys
                    FOR EACH STATEMENT EXECUTE FUNCTION truust_cache_notify();
                CREATE TRIGGER webhook_endpoints_cache_notify
                    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON webhook_endpoints
                    FOR EACH STATEMENT EXECUTE FUNCTION truust_cache_notify();
                """
            );
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(
                """
                DROP TRIGGER webhook_endpoints_cache_notify ON webhook_endpoints;
                DROP TRIGGER api_keys_cache_notify ON api_keys;
                DROP FUNCTION truust_cache_notify();
                """
            );
        }
    }
}
