using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Platform.TalentPipeline.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "platform");

            migrationBuilder.CreateTable(
                name: "cohorts",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    consortium_id = table.Column<Guid>(type: "uuid", nullable: false),
                    college_id = table.Column<Guid>(type: "uuid", nullable: false),
                    major = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    occupation = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    graduation_year = table.Column<int>(type: "integer", nullable: false),
                    headcount = table.Column<int>(type: "integer", nullable: false),
                    region = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_cohorts", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "demands",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    consortium_id = table.Column<Guid>(type: "uuid", nullable: false),
                    enterprise_id = table.Column<Guid>(type: "uuid", nullable: false),
                    occupation = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    skills = table.Column<List<string>>(type: "text[]", nullable: false),
                    headcount = table.Column<int>(type: "integer", nullable: false),
                    region = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    needed_by = table.Column<DateOnly>(type: "date", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_demands", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "funnel_counts",
                columns: table => new
                {
                    consortium_id = table.Column<Guid>(type: "uuid", nullable: false),
                    program_id = table.Column<Guid>(type: "uuid", nullable: false),
                    college_id = table.Column<Guid>(type: "uuid", nullable: false),
                    enterprise_id = table.Column<Guid>(type: "uuid", nullable: false),
                    month = table.Column<DateOnly>(type: "date", nullable: false),
                    stage = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    trainees = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_funnel_counts", x => new { x.consortium_id, x.program_id, x.college_id, x.enterprise_id, x.month, x.stage });
                });

            migrationBuilder.CreateTable(
                name: "idempotent_requests",
                schema: "platform",
                columns: table => new
                {
                    caller = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    request_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    status_code = table.Column<int>(type: "integer", nullable: true),
                    response_body = table.Column<byte[]>(type: "bytea", nullable: true),
                    response_content_type = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    response_location = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    locked_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_idempotent_requests", x => new { x.caller, x.key });
                });

            migrationBuilder.CreateTable(
                name: "inbox_records",
                schema: "platform",
                columns: table => new
                {
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    consumer = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    processed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_inbox_records", x => new { x.message_id, x.consumer });
                });

            migrationBuilder.CreateTable(
                name: "members",
                columns: table => new
                {
                    consortium_id = table.Column<Guid>(type: "uuid", nullable: false),
                    organization_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    kind = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    status_changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_members", x => new { x.consortium_id, x.organization_id });
                });

            migrationBuilder.CreateTable(
                name: "organizations",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    kind = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    region = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_organizations", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "outbox_messages",
                schema: "platform",
                columns: table => new
                {
                    sequence = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    message_type = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    body = table.Column<string>(type: "jsonb", nullable: false),
                    trace_parent = table.Column<string>(type: "character varying(55)", maxLength: 55, nullable: true),
                    trace_state = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_error = table.Column<string>(type: "text", nullable: true),
                    parked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbox_messages", x => x.sequence);
                });

            migrationBuilder.CreateTable(
                name: "partner_api_keys",
                schema: "platform",
                columns: table => new
                {
                    api_client_id = table.Column<Guid>(type: "uuid", nullable: false),
                    organization_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    key_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    scopes = table.Column<string[]>(type: "text[]", nullable: false),
                    issued_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_partner_api_keys", x => x.api_client_id);
                });

            migrationBuilder.CreateTable(
                name: "placement_events",
                columns: table => new
                {
                    college_id = table.Column<Guid>(type: "uuid", nullable: false),
                    event_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    program_id = table.Column<Guid>(type: "uuid", nullable: false),
                    consortium_id = table.Column<Guid>(type: "uuid", nullable: false),
                    trainee_ref = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    type = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    enterprise_id = table.Column<Guid>(type: "uuid", nullable: true),
                    flag = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    accepted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_placement_events", x => new { x.college_id, x.event_id });
                });

            migrationBuilder.CreateTable(
                name: "programs",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    consortium_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    title = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    college_ids = table.Column<List<Guid>>(type: "uuid[]", nullable: false),
                    enterprise_ids = table.Column<List<Guid>>(type: "uuid[]", nullable: false),
                    occupation = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    seats = table.Column<int>(type: "integer", nullable: true),
                    starts_on = table.Column<DateOnly>(type: "date", nullable: true),
                    ends_on = table.Column<DateOnly>(type: "date", nullable: true),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    paused_by = table.Column<List<Guid>>(type: "uuid[]", nullable: false),
                    resume_to = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    agreement_id = table.Column<Guid>(type: "uuid", nullable: true),
                    unveiling_id = table.Column<Guid>(type: "uuid", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_programs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "trainees",
                columns: table => new
                {
                    college_id = table.Column<Guid>(type: "uuid", nullable: false),
                    trainee_ref = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    consortium_id = table.Column<Guid>(type: "uuid", nullable: false),
                    program_id = table.Column<Guid>(type: "uuid", nullable: false),
                    stage = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    stage_occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    events = table.Column<int>(type: "integer", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_trainees", x => new { x.college_id, x.trainee_ref });
                });

            migrationBuilder.CreateIndex(
                name: "ix_cohorts_college_id",
                table: "cohorts",
                column: "college_id");

            migrationBuilder.CreateIndex(
                name: "ix_cohorts_consortium_id",
                table: "cohorts",
                column: "consortium_id");

            migrationBuilder.CreateIndex(
                name: "ix_demands_consortium_id",
                table: "demands",
                column: "consortium_id");

            migrationBuilder.CreateIndex(
                name: "ix_demands_enterprise_id",
                table: "demands",
                column: "enterprise_id");

            migrationBuilder.CreateIndex(
                name: "ix_funnel_counts_college_id",
                table: "funnel_counts",
                column: "college_id");

            migrationBuilder.CreateIndex(
                name: "ix_funnel_counts_enterprise_id",
                table: "funnel_counts",
                column: "enterprise_id");

            migrationBuilder.CreateIndex(
                name: "ix_funnel_counts_program_id",
                table: "funnel_counts",
                column: "program_id");

            migrationBuilder.CreateIndex(
                name: "ix_idempotent_requests_created_at",
                schema: "platform",
                table: "idempotent_requests",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_inbox_records_processed_at",
                schema: "platform",
                table: "inbox_records",
                column: "processed_at");

            migrationBuilder.CreateIndex(
                name: "ix_members_organization_id",
                table: "members",
                column: "organization_id");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_message_id",
                schema: "platform",
                table: "outbox_messages",
                column: "message_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_partner_api_keys_key_hash",
                schema: "platform",
                table: "partner_api_keys",
                column: "key_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_placement_events_college_id_trainee_ref_occurred_at",
                table: "placement_events",
                columns: new[] { "college_id", "trainee_ref", "occurred_at" });

            migrationBuilder.CreateIndex(
                name: "ix_placement_events_flagged",
                table: "placement_events",
                columns: new[] { "college_id", "flag" },
                filter: "flag IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_programs_agreement_id",
                table: "programs",
                column: "agreement_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_programs_consortium_id",
                table: "programs",
                column: "consortium_id");

            migrationBuilder.CreateIndex(
                name: "ix_programs_unveiling_id",
                table: "programs",
                column: "unveiling_id",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "cohorts");

            migrationBuilder.DropTable(
                name: "demands");

            migrationBuilder.DropTable(
                name: "funnel_counts");

            migrationBuilder.DropTable(
                name: "idempotent_requests",
                schema: "platform");

            migrationBuilder.DropTable(
                name: "inbox_records",
                schema: "platform");

            migrationBuilder.DropTable(
                name: "members");

            migrationBuilder.DropTable(
                name: "organizations");

            migrationBuilder.DropTable(
                name: "outbox_messages",
                schema: "platform");

            migrationBuilder.DropTable(
                name: "partner_api_keys",
                schema: "platform");

            migrationBuilder.DropTable(
                name: "placement_events");

            migrationBuilder.DropTable(
                name: "programs");

            migrationBuilder.DropTable(
                name: "trainees");
        }
    }
}
