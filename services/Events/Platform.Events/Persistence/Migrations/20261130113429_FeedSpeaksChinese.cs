using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Platform.Events.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class FeedSpeaksChinese : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "content_zh",
                table: "feed_entries",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "title_zh",
                table: "feed_entries",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "content_zh",
                table: "feed_entries");

            migrationBuilder.DropColumn(
                name: "title_zh",
                table: "feed_entries");
        }
    }
}
