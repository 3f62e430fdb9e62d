using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Platform.TalentPipeline.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class AddChineseNames : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "name_zh",
                table: "members",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "name_zh",
                table: "members");
        }
    }
}
