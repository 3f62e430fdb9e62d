using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Platform.Events.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class NotifyFeedChanges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // EF cannot model triggers. Every change that shows in a consortium's feed (its entries, who may read it,
            // its time zone) tells each instance at commit: NOTIFY feed, 'consortiumId' (PostgreSQL folds repeats of
            // one payload within a transaction). Statement-level with transition tables, so a batch of placements
            // notifies once per consortium, not once per row; no version row, which every writer would queue on.
            migrationBuilder.Sql("""
                CREATE FUNCTION notify_feed_change() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    changed uuid;
                BEGIN
                    IF TG_OP IN ('INSERT', 'UPDATE') THEN
                        FOR changed IN SELECT DISTINCT consortium_id FROM new_rows LOOP
                            PERFORM pg_notify('feed', changed::text);
                        END LOOP;
                    END IF;
                    IF TG_OP IN ('UPDATE', 'DELETE') THEN
                        FOR changed IN SELECT DISTINCT consortium_id FROM old_rows LOOP
                            PERFORM pg_notify('feed', changed::text);
                        END LOOP;
                    END IF;
                    RETURN NULL;
                END
                $$;

                CREATE FUNCTION notify_feed_consortium_change() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('feed', (CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END)::text);
                    RETURN NULL;
                END
                $$;

                CREATE TRIGGER feed_entries_notify_insert AFTER INSERT ON feed_entries
                    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_feed_change();
                CREATE TRIGGER feed_entries_notify_update AFTER UPDATE ON feed_entries
                    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_feed_change();
                CREATE TRIGGER feed_entries_notify_delete AFTER DELETE ON feed_entries
                    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_feed_change();

                CREATE TRIGGER known_memberships_notify_insert AFTER INSERT ON known_memberships
                    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_feed_change();
                CREATE TRIGGER known_memberships_notify_update AFTER UPDATE ON known_memberships
                    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_feed_change();
                CREATE TRIGGER known_memberships_notify_delete AFTER DELETE ON known_memberships
                    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_feed_change();

                CREATE TRIGGER known_consortia_notify AFTER INSERT OR UPDATE OR DELETE ON known_consortia
                    FOR EACH ROW EXECUTE FUNCTION notify_feed_consortium_change();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER known_consortia_notify ON known_consortia;
                DROP TRIGGER known_memberships_notify_delete ON known_memberships;
                DROP TRIGGER known_memberships_notify_update ON known_memberships;
                DROP TRIGGER known_memberships_notify_insert ON known_memberships;
                DROP TRIGGER feed_entries_notify_delete ON feed_entries;
                DROP TRIGGER feed_entries_notify_update ON feed_entries;
                DROP TRIGGER feed_entries_notify_insert ON feed_entries;
                DROP FUNCTION notify_feed_consortium_change();
                DROP FUNCTION notify_feed_change();
                """);
        }
    }
}
