using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Npgsql;

namespace Platform.AppHost.Tests;

[TestCaseOrderer(typeof(ShutdownLast))]
public sealed partial class RunningPlatformTests(RunningPlatform platform) : IClassFixture<RunningPlatform>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_service_listed_in_endpoints_json_is_ready()
    {
        Assert.Equal(["dashboard", "events", "membership", "talent-pipeline", "webhooks"], platform.Endpoints.Services.Keys.Order(StringComparer.Ordinal));
        using var http = RunningPlatform.CreateHttpClient();
        foreach (var (name, url) in platform.Endpoints.Services)
        {
            Assert.Equal("127.0.0.1", url.Host);
            using var response = await http.GetAsync(new Uri(url, "/health/ready"), Cancellation);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{name} /health/ready answered {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task RabbitMq_management_api_answers_with_the_credentials_of_the_amqp_uri_and_only_with_them()
    {
        using var http = RunningPlatform.CreateHttpClient();
        var overview = new Uri(platform.Endpoints.ManagementUri, "api/overview");
        using (var anonymous = await http.GetAsync(overview, Cancellation))
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        var credentials = Uri.UnescapeDataString(platform.Endpoints.AmqpUri.UserInfo);
        using (var wrong = new HttpRequestMessage(HttpMethod.Get, overview))
        {
            wrong.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials + "x")));
            using var refused = await http.SendAsync(wrong, Cancellation);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, overview);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        using var response = await http.SendAsync(request, Cancellation);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("rabbitmq_version", await response.Content.ReadAsStringAsync(Cancellation), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_service_database_exists_and_its_connection_string_works()
    {
        Assert.Equal(["eventsdb", "membershipdb", "talentpipelinedb", "webhooksdb"], platform.Endpoints.Databases.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, connectionString) in platform.Endpoints.Databases)
        {
            await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
            await connection.OpenAsync(Cancellation);
            await using var command = new NpgsqlCommand("SELECT current_database()", connection);
            Assert.Equal(name, await command.ExecuteScalarAsync(Cancellation));
        }
    }

    [Fact]
    public async Task Each_service_connects_as_its_own_role_that_owns_its_database_is_no_superuser_and_cannot_open_the_others()
    {
        var services = new[] { ("Platform.Membership", "membershipdb"), ("Platform.TalentPipeline", "talentpipelinedb"), ("Platform.Events", "eventsdb"), ("Platform.Webhooks", "webhooksdb") };
        foreach (var (project, database) in services)
        {
            var given = new NpgsqlConnectionStringBuilder(ServiceEnvironment(project)[$"ConnectionStrings__{database}"]) { Pooling = false };
            Assert.Equal(database, given.Username);
            Assert.NotEqual("postgres", given.Username);
            Assert.DoesNotContain(platform.Endpoints.Databases.Values, admin => new NpgsqlConnectionStringBuilder(admin).Password == given.Password);

            await using (var connection = new NpgsqlConnection(given.ConnectionString))
            {
                await connection.OpenAsync(Cancellation);
                await using var role = new NpgsqlCommand(
                    "SELECT rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls FROM pg_roles WHERE rolname = current_user", connection);
                await using (var reader = await role.ExecuteReaderAsync(Cancellation))
                {
                    Assert.True(await reader.ReadAsync(Cancellation));
                    for (var i = 0; i < reader.FieldCount; i++)
                        Assert.False(reader.GetBoolean(i), $"{database}: {reader.GetName(i)}");
                }
                // It owns its database and everything its migrations made there (it ran them).
                Assert.Equal(database, await ScalarAsync(connection, "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()"));
                Assert.True(await ScalarAsync(connection, "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')") is long tables && tables > 0);
                Assert.Equal(0L, await ScalarAsync(connection, "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') AND tableowner <> current_user"));
                foreach (var forbidden in new[] { "CREATE DATABASE sneaky", "CREATE ROLE sneaky", "ALTER ROLE current_user SUPERUSER" })
                {
                    var refused = await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync(connection, forbidden));
                    Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
                }
            }

            foreach (var other in services.Select(s => s.Item2).Where(d => d != database).Append("postgres"))
            {
                await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(given.ConnectionString) { Database = other }.ConnectionString);
                var refused = await Assert.ThrowsAsync<PostgresException>(() => connection.OpenAsync(Cancellation));
                Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
            }
        }
    }

    [Fact]
    public async Task The_operator_key_and_the_database_passwords_are_in_no_log_file_and_the_console_shows_the_key_once()
    {
        var key = platform.Endpoints.OperatorKey;
        // Requests that carry the key: a script on the operator dashboard (which calls the services with it) and on a service.
        using var http = RunningPlatform.CreateHttpClient();
        // The KPIs ask each service in turn: slower than a probe on a busy machine.
        http.Timeout = TimeSpan.FromSeconds(60);
        http.DefaultRequestHeaders.Add("X-Api-Key", key);
        using (var kpis = await http.GetAsync(new Uri(platform.Endpoints.Services["dashboard"], "/api/kpis"), Cancellation))
            Assert.Equal(HttpStatusCode.OK, kpis.StatusCode);
        using (var me = await http.GetAsync(new Uri(platform.Endpoints.Services["membership"], "/api/v1/me"), Cancellation))
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(2), Cancellation);

        var secrets = new Dictionary<string, string>(StringComparer.Ordinal) { ["operator key"] = key };
        foreach (var file in Directory.EnumerateFiles(Path.Combine(platform.AppHost.DataFolder, "postgres", "roles"), "*.password"))
            secrets[Path.GetFileName(file)] = (await File.ReadAllTextAsync(file, Cancellation)).Trim();
        Assert.Equal(5, secrets.Count);

        var logs = Directory.EnumerateFiles(Path.Combine(platform.AppHost.DataFolder, "logs"), "*", SearchOption.AllDirectories).ToList();
        Assert.Contains(logs, l => l.EndsWith("membership.log", StringComparison.Ordinal));
        foreach (var log in logs)
        {
            var text = await File.ReadAllTextAsync(log, Cancellation);
            foreach (var (what, secret) in secrets)
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{Path.GetFileName(log)} holds the {what}");
        }
        // The console shows the key once, in the summary, for the human who started the platform.
        Assert.Single(platform.AppHost.OutputLines, line => line.Contains(key, StringComparison.Ordinal));
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(Cancellation);
    }

    [Fact]
    public async Task Each_service_gets_the_configuration_contract_in_its_environment()
    {
        var endpoints = platform.Endpoints;
        var pipeline = ServiceEnvironment("Platform.TalentPipeline");

        // Its own database, as its own role (endpoints.json has the superuser's, for the human).
        var database = new NpgsqlConnectionStringBuilder(pipeline["ConnectionStrings__talentpipelinedb"]);
        var admin = new NpgsqlConnectionStringBuilder(endpoints.Databases["talentpipelinedb"]);
        Assert.Equal((admin.Host, admin.Port, "talentpipelinedb", "talentpipelinedb"), (database.Host, database.Port, database.Database, database.Username));
        Assert.Equal(endpoints.Amqp, pipeline["ConnectionStrings__messaging"]);
        // Aspire names the services it references by localhost and the port they listen on (the one in endpoints.json).
        Assert.Equal($"http://localhost:{endpoints.Services["membership"].Port}", pipeline["services__membership__http__0"]);
        Assert.Equal($"http://localhost:{endpoints.Services["talent-pipeline"].Port}", pipeline["ASPNETCORE_URLS"]);
        Assert.Equal(endpoints.OperatorKey, pipeline["Platform__OperatorKey"]);
        // Another service's database is none of its business.
        Assert.DoesNotContain("ConnectionStrings__membershipdb", pipeline.Keys);
        Assert.DoesNotContain("ConnectionStrings__eventsdb", pipeline.Keys);

        var events = ServiceEnvironment("Platform.Events");
        Assert.Equal($"http://localhost:{endpoints.Services["talent-pipeline"].Port}", events["services__talent-pipeline__http__0"]);
        Assert.Equal($"http://localhost:{endpoints.Services["membership"].Port}", events["services__membership__http__0"]);
        Assert.Equal("eventsdb", new NpgsqlConnectionStringBuilder(events["ConnectionStrings__eventsdb"]).Username);
        Assert.DoesNotContain("ConnectionStrings__talentpipelinedb", events.Keys);
        Assert.Equal(endpoints.OperatorKey, events["Platform__OperatorKey"]);

        // Webhooks: its database, the bus, membership for the partner keys' reconcile. The binary runs as ./run.sh runs
        // it (no DOTNET_ENVIRONMENT: Production), so private targets stay refused.
        var webhooks = ServiceEnvironment("Platform.Webhooks");
        Assert.Equal("webhooksdb", new NpgsqlConnectionStringBuilder(webhooks["ConnectionStrings__webhooksdb"]).Username);
        Assert.Equal(endpoints.Amqp, webhooks["ConnectionStrings__messaging"]);
        Assert.Equal($"http://localhost:{endpoints.Services["membership"].Port}", webhooks["services__membership__http__0"]);
        Assert.Equal(endpoints.OperatorKey, webhooks["Platform__OperatorKey"]);
        Assert.DoesNotContain("ConnectionStrings__membershipdb", webhooks.Keys);
        Assert.DoesNotContain("Webhooks__AllowPrivateTargets", webhooks.Keys);
        Assert.NotEqual("Development", webhooks.GetValueOrDefault("DOTNET_ENVIRONMENT"));
        Assert.NotEqual("Development", webhooks.GetValueOrDefault("ASPNETCORE_ENVIRONMENT"));

        // Telemetry goes to the Aspire dashboard's OTLP endpoint, not to the operator dashboard: the endpoint takes
        // OTLP/HTTP with the key the service got, and refuses it without.
        Assert.Equal("talent-pipeline", pipeline["OTEL_SERVICE_NAME"]);
        Assert.Matches("(^|,)service.instance.id=[^,]+", pipeline["OTEL_RESOURCE_ATTRIBUTES"]);
        Assert.Equal("http/protobuf", pipeline["OTEL_EXPORTER_OTLP_PROTOCOL"]);
        var otlp = new Uri(pipeline["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("127.0.0.1", otlp.Host);
        Assert.DoesNotContain(endpoints.Services.Values, service => service.Port == otlp.Port);
        var otlpKey = pipeline["OTEL_EXPORTER_OTLP_HEADERS"].Split('=', 2);
        Assert.Equal("x-otlp-api-key", otlpKey[0]);
        using var http = RunningPlatform.CreateHttpClient();
        Assert.Equal(HttpStatusCode.Unauthorized, await PostEmptyOtlpLogsAsync(http, otlp, header: null));
        Assert.Equal(HttpStatusCode.OK, await PostEmptyOtlpLogsAsync(http, otlp, (otlpKey[0], otlpKey[1])));
    }

    [Fact]
    public async Task Each_domain_service_telemetry_reaches_the_Aspire_dashboard_under_its_instance_id()
    {
        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (resource, project) in new[] { ("membership", "Platform.Membership"), ("talent-pipeline", "Platform.TalentPipeline"), ("events", "Platform.Events"), ("webhooks", "Platform.Webhooks") })
            expected[resource] = Regex.Match(ServiceEnvironment(project)["OTEL_RESOURCE_ATTRIBUTES"], "service.instance.id=([^,]+)").Groups[1].Value;

        using var http = RunningPlatform.CreateHttpClient();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        // Logs are exported in batches every few seconds; the services have logged since they started.
        var arrived = await EventuallyAsync(async () =>
        {
            using var request = TelemetryRequest("api/telemetry/resources", withKey: true);
            using var response = await http.SendAsync(request, Cancellation);
            if (response.StatusCode != HttpStatusCode.OK) return false;
            foreach (var resource in (await response.Content.ReadFromJsonAsync<JsonElement>(Cancellation)).EnumerateArray())
                seen[resource.GetProperty("name").GetString()!] = resource.GetProperty("instanceId").GetString()!;
            return expected.All(e => seen.GetValueOrDefault(e.Key) == e.Value);
        }, seconds: 60);
        Assert.True(arrived, $"expected telemetry from {string.Join(", ", expected)}; the Aspire dashboard has {string.Join(", ", seen)}");
    }

    [Fact]
    public void The_operator_dashboard_gets_the_RabbitMq_management_url_and_the_Aspire_dashboard_url()
    {
        var endpoints = platform.Endpoints;
        var dashboard = ServiceEnvironment("Platform.Dashboard");
        Assert.Equal(endpoints.Management, dashboard["Dashboard__RabbitMq__ManagementUrl"]);
        Assert.Equal(endpoints.AspireDashboard.Url, dashboard["Dashboard__AspireDashboard__Url"]);
        Assert.Equal(endpoints.OperatorKey, dashboard["Platform__OperatorKey"]);
        foreach (var service in new[] { "membership", "talent-pipeline", "events", "webhooks" })
            Assert.Equal($"http://localhost:{endpoints.Services[service].Port}", dashboard[$"services__{service}__http__0"]);
    }

    [Fact]
    public async Task The_Aspire_dashboard_telemetry_api_answers_only_with_its_key_and_its_login_url_is_printed()
    {
        var aspire = platform.Endpoints.AspireDashboard;
        Assert.Equal("127.0.0.1", new Uri(aspire.Url).Host);
        Assert.StartsWith(aspire.Url + "/login?t=", aspire.LoginUrl, StringComparison.Ordinal);
        Assert.Contains(aspire.LoginUrl, platform.AppHost.Output, StringComparison.Ordinal);

        using var http = RunningPlatform.CreateHttpClient();
        using (var anonymous = TelemetryRequest("api/telemetry/resources", withKey: false))
        using (var refused = await http.SendAsync(anonymous, Cancellation))
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        using var request = TelemetryRequest("api/telemetry/resources", withKey: true);
        using var response = await http.SendAsync(request, Cancellation);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(JsonValueKind.Array, (await response.Content.ReadFromJsonAsync<JsonElement>(Cancellation)).ValueKind);
    }

    [Fact]
    public async Task The_operator_key_is_random_url_safe_kept_in_the_data_folder_and_readable_only_by_its_owner()
    {
        var file = Path.Combine(platform.AppHost.DataFolder, "operator-key");
        Assert.Equal(platform.Endpoints.OperatorKey, (await File.ReadAllTextAsync(file, Cancellation)).Trim());
        Assert.Matches("^[A-Za-z0-9_-]{43}$", platform.Endpoints.OperatorKey); // 32 bytes, base64url without padding
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(platform.AppHost.EndpointsFile));
        Assert.Contains(platform.AppHost.OutputLines, line => line.Contains("operator key", StringComparison.Ordinal) && line.Contains(platform.Endpoints.OperatorKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_second_AppHost_on_the_same_data_folder_refuses_and_names_the_first()
    {
        var (exitCode, output) = await AppHostProcess.RunToEndAsync("--data", platform.AppHost.DataFolder);

        Assert.Equal(1, exitCode);
        Assert.Contains($"Another AppHost (pid {platform.AppHost.Pid}) is using the data folder", output, StringComparison.Ordinal);
        Assert.True(File.Exists(platform.AppHost.EndpointsFile), "the first AppHost must be left alone");
        using var http = RunningPlatform.CreateHttpClient();
        using var response = await http.GetAsync(new Uri(platform.Endpoints.Services["membership"], "/health/ready"), Cancellation);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Each_resource_keeps_its_console_output_in_its_own_log_file()
    {
        var logs = Path.Combine(platform.AppHost.DataFolder, "logs");
        var membership = await File.ReadAllTextAsync(Path.Combine(logs, "membership.log"), Cancellation);
        Assert.Matches($@"Now listening on: http://[^\s/]+:{platform.Endpoints.Services["membership"].Port}\b", membership);
        Assert.Contains("database system is ready to accept connections", await File.ReadAllTextAsync(Path.Combine(logs, "postgres.log"), Cancellation), StringComparison.Ordinal);
        var messaging = await File.ReadAllTextAsync(Path.Combine(logs, "messaging.log"), Cancellation);
        Assert.True(messaging.Contains("Starting broker", StringComparison.Ordinal) || messaging.Contains("Server startup complete", StringComparison.Ordinal),
            $"messaging.log does not show the broker starting:\n{messaging}");
        // Nothing else writes there: each file has its own resource's output.
        Assert.DoesNotContain("database system is ready", membership, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_crashed_service_is_restarted_on_the_same_url_and_the_console_says_so()
    {
        var url = new Uri(platform.Endpoints.Services["membership"], "/health/ready");
        var crashed = platform.AppHost.ServiceProcess("Platform.Membership") ?? throw new InvalidOperationException("membership is not running");
        Assert.Equal(0, Native.Kill(crashed.Pid, AppHostProcess.SigKill));

        using var http = RunningPlatform.CreateHttpClient();
        var back = await EventuallyAsync(async () =>
        {
            if (platform.AppHost.ServiceProcess("Platform.Membership") is not { } now || now.Pid == crashed.Pid) return false;
            try
            {
                using var response = await http.GetAsync(url, Cancellation);
                return response.StatusCode == HttpStatusCode.OK;
            }
            // Refused while it is down; slow to answer while it starts on a busy machine.
            catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !Cancellation.IsCancellationRequested))
            {
                return false;
            }
        }, seconds: 120);
        Assert.True(back, $"membership was not back on {url} within 120 s:\n{platform.AppHost.Output}");
        Assert.Contains(platform.AppHost.OutputLines, line => line.StartsWith("membership: ", StringComparison.Ordinal) && line.Contains("restarting in 1 s", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Fresh_wiped_what_an_earlier_run_left_in_the_data_folder_and_made_a_new_operator_key()
    {
        Assert.False(File.Exists(Path.Combine(platform.AppHost.DataFolder, RunningPlatform.LeftoverFile)));
        Assert.NotEqual(RunningPlatform.OldOperatorKey, platform.Endpoints.OperatorKey);
        Assert.Equal(platform.Endpoints.OperatorKey, (await File.ReadAllTextAsync(Path.Combine(platform.AppHost.DataFolder, "operator-key"), Cancellation)).Trim());
    }

    private Dictionary<string, string> ServiceEnvironment(string project)
    {
        var process = platform.AppHost.ServiceProcess(project)
            ?? throw new InvalidOperationException($"{project} is not running; the platform's processes:\n{string.Join('\n', platform.AppHost.PlatformProcesses())}");
        return ProcessTree.EnvironmentVariables(process.Pid);
    }

    private HttpRequestMessage TelemetryRequest(string path, bool withKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(platform.Endpoints.AspireDashboard.Url + "/"), path));
        if (withKey) request.Headers.Add("x-api-key", platform.Endpoints.AspireDashboard.TelemetryApiKey);
        return request;
    }

    /// <summary>An empty OTLP/HTTP logs export (zero bytes is a valid, empty ExportLogsServiceRequest).</summary>
    private static async Task<HttpStatusCode> PostEmptyOtlpLogsAsync(HttpClient http, Uri endpoint, (string Name, string Value)? header)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint, "/v1/logs"))
        {
            Content = new ByteArrayContent([]) { Headers = { ContentType = new MediaTypeHeaderValue("application/x-protobuf") } },
        };
        if (header is { } h) request.Headers.Add(h.Name, h.Value);
        using var response = await http.SendAsync(request, Cancellation);
        return response.StatusCode;
    }

    internal static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return true;
            await Task.Delay(200, Cancellation);
        }
        return false;
    }
}
