using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Platform.Events.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class AddChineseNames : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "host_organization_name_zh",
                table: "unveilings",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "name_zh",
                table: "known_organizations",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "name_zh",
                table: "known_consortia",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "host_organization_name_zh",
                table: "unveilings");

            migrationBuilder.DropColumn(
                name: "name_zh",
                table: "known_organizations");

            migrationBuilder.DropColumn(
                name: "name_zh",
                table: "known_consortia");
        }
    }
}
