using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Platform.Membership.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class AddChineseNames : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "name_zh",
                table: "organizations",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "name_zh",
                table: "consortia",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            // EF cannot model triggers. The member list now shows the Chinese name too, so correcting it must bump
            // the consortia's member_list_version (the list's cache key and ETag) like a change of the English name.
            migrationBuilder.Sql("""
                DROP TRIGGER organizations_bump_member_list_version ON organizations;
                CREATE TRIGGER organizations_bump_member_list_version
                    AFTER UPDATE OF name, name_zh, kind, region ON organizations
                    FOR EACH ROW EXECUTE FUNCTION bump_member_list_version();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER organizations_bump_member_list_version ON organizations;
                CREATE TRIGGER organizations_bump_member_list_version
                    AFTER UPDATE OF name, kind, region ON organizations
                    FOR EACH ROW EXECUTE FUNCTION bump_member_list_version();
                """);

            migrationBuilder.DropColumn(
                name: "name_zh",
                table: "organizations");

            migrationBuilder.DropColumn(
                name: "name_zh",
                table: "consortia");
        }
    }
}
