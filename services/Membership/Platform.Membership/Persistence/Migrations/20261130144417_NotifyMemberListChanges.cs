using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Platform.Membership.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class NotifyMemberListChanges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // EF cannot model triggers. The same trigger that bumps consortia.member_list_version now also tells every
            // instance which consortium's list changed and to which version (NOTIFY is delivered at commit, once per
            // distinct payload), so the instances keep versions and members in memory instead of asking per request.
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION bump_member_list_version() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    bumped record;
                BEGIN
                    -- Two statements, not one with CASE in WHERE: each keeps its index plan.
                    IF TG_TABLE_NAME = 'memberships' THEN
                        FOR bumped IN
                            UPDATE consortia SET member_list_version = member_list_version + 1
                            WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.consortium_id ELSE NEW.consortium_id END
                            RETURNING id, member_list_version
                        LOOP
                            PERFORM pg_notify('member_list', bumped.id::text || ':' || bumped.member_list_version::text);
                        END LOOP;
                    ELSE
                        FOR bumped IN
                            UPDATE consortia SET member_list_version = member_list_version + 1
                            WHERE id IN (SELECT consortium_id FROM memberships WHERE organization_id = NEW.id)
                            RETURNING id, member_list_version
                        LOOP
                            PERFORM pg_notify('member_list', bumped.id::text || ':' || bumped.member_list_version::text);
                        END LOOP;
                    END IF;
                    RETURN NULL;
                END
                $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION bump_member_list_version() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_TABLE_NAME = 'memberships' THEN
                        UPDATE consortia SET member_list_version = member_list_version + 1
                        WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.consortium_id ELSE NEW.consortium_id END;
                    ELSE
                        UPDATE consortia SET member_list_version = member_list_version + 1
                        WHERE id IN (SELECT consortium_id FROM memberships WHERE organization_id = NEW.id);
                    END IF;
                    RETURN NULL;
                END
                $$;
                """);
        }
    }
}
