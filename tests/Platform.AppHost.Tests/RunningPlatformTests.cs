using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace Platform.AppHost.Tests;

public sealed class RunningPlatformTests(RunningPlatform platform) : IClassFixture<RunningPlatform>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_service_listed_in_endpoints_json_is_ready()
    {
        Assert.Equal(["dashboard", "events", "membership", "talent-pipeline"], platform.Endpoints.Services.Keys.Order(StringComparer.Ordinal));
        using var http = RunningPlatform.CreateHttpClient();
        foreach (var (name, url) in platform.Endpoints.Services)
        {
            using var response = await http.GetAsync(new Uri(url, "/health/ready"), Cancellation);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{name} /health/ready answered {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task RabbitMq_management_api_answers_with_the_credentials_of_the_amqp_uri_and_only_with_them()
    {
        using var http = RunningPlatform.CreateHttpClient();
        var overview = new Uri(platform.Endpoints.Management, "api/overview");
        using (var anonymous = await http.GetAsync(overview, Cancellation))
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        using var request = new HttpRequestMessage(HttpMethod.Get, overview);
        var credentials = Uri.UnescapeDataString(platform.Endpoints.Amqp.UserInfo);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        using var response = await http.SendAsync(request, Cancellation);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("rabbitmq_version", await response.Content.ReadAsStringAsync(Cancellation), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_service_database_exists_and_its_connection_string_works()
    {
        Assert.Equal(["eventsdb", "membershipdb", "talentpipelinedb"], platform.Endpoints.Databases.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, connectionString) in platform.Endpoints.Databases)
        {
            await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
            await connection.OpenAsync(Cancellation);
            await using var command = new NpgsqlCommand("SELECT current_database()", connection);
            Assert.Equal(name, await command.ExecuteScalarAsync(Cancellation));
        }
    }

    [Fact]
    public void Each_service_gets_the_configuration_contract_in_its_environment()
    {
        var endpoints = platform.Endpoints;
        var pipeline = platform.AppHost.ServiceProcess("Platform.TalentPipeline") ?? throw new InvalidOperationException("talent-pipeline is not running");
        var environment = ProcessTree.EnvironmentVariables(pipeline.Pid);

        Assert.Equal(endpoints.Databases["talentpipelinedb"], environment["ConnectionStrings__talentpipelinedb"]);
        Assert.Equal(endpoints.Amqp.ToString(), environment["ConnectionStrings__messaging"]);
        Assert.Equal(endpoints.Services["membership"].ToString().TrimEnd('/'), environment["services__membership__http__0"]);
        Assert.Equal(endpoints.Services["talent-pipeline"].ToString().TrimEnd('/'), environment["ASPNETCORE_URLS"]);
        Assert.Equal("talent-pipeline", environment["OTEL_SERVICE_NAME"]);
        Assert.Contains("service.instance.id=", environment["OTEL_RESOURCE_ATTRIBUTES"], StringComparison.Ordinal);
        Assert.Equal(endpoints.OperatorKey, environment["Platform__OperatorKey"]);
        // Another service's database is none of its business.
        Assert.DoesNotContain("ConnectionStrings__membershipdb", environment.Keys);

        var events = ProcessTree.EnvironmentVariables(platform.AppHost.ServiceProcess("Platform.Events")!.Pid);
        Assert.Equal(endpoints.Services["talent-pipeline"].ToString().TrimEnd('/'), events["services__talent-pipeline__http__0"]);
        Assert.Equal(endpoints.Databases["eventsdb"], events["ConnectionStrings__eventsdb"]);
        // Every service sends its telemetry to the dashboard.
        Assert.Equal(endpoints.Services["dashboard"].ToString().TrimEnd('/'), environment["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("http/protobuf", environment["OTEL_EXPORTER_OTLP_PROTOCOL"]);
    }

    [Fact]
    public async Task The_dashboard_gets_the_AppHost_status_endpoint_which_reports_every_resource_to_the_operator_key_only()
    {
        var endpoints = platform.Endpoints;
        var dashboard = ProcessTree.EnvironmentVariables(platform.AppHost.ServiceProcess("Platform.Dashboard")!.Pid);
        Assert.Equal(endpoints.Management.ToString(), dashboard["Dashboard__RabbitMq__ManagementUrl"]);
        Assert.DoesNotContain("OTEL_EXPORTER_OTLP_ENDPOINT", dashboard.Keys);
        var status = new Uri(dashboard["Dashboard__AppHost__Url"]);
        Assert.Equal("127.0.0.1", status.Host);

        using var http = RunningPlatform.CreateHttpClient();
        using (var anonymous = await http.GetAsync(new Uri(status, "resources"), Cancellation))
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(status, "resources"));
        request.Headers.Add("X-Api-Key", endpoints.OperatorKey);
        using var answer = await http.SendAsync(request, Cancellation);
        var resources = await answer.Content.ReadFromJsonAsync<JsonElement>(Cancellation);
        var byName = resources.EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!);
        Assert.Equal(["dashboard", "events", "eventsdb", "membership", "membershipdb", "messaging", "postgres", "talent-pipeline", "talentpipelinedb"],
            byName.Keys.Order(StringComparer.Ordinal));
        Assert.All(byName.Values, r => Assert.True(r.GetProperty("ready").GetBoolean(), $"{r} is not ready"));
        Assert.Equal(platform.AppHost.ServiceProcess("Platform.Membership")!.Pid, byName["membership"].GetProperty("processId").GetInt32());

        using var logs = new HttpRequestMessage(HttpMethod.Get, new Uri(status, "resources/membership/logs?lines=500"));
        logs.Headers.Add("X-Api-Key", endpoints.OperatorKey);
        using var lines = await http.SendAsync(logs, Cancellation);
        Assert.Contains((await lines.Content.ReadFromJsonAsync<JsonElement>(Cancellation)).EnumerateArray(), l => l.GetProperty("text").GetString() == "» ready");
    }

    [Fact]
    public async Task The_operator_key_is_random_url_safe_kept_in_the_data_folder_and_readable_only_by_its_owner()
    {
        var file = Path.Combine(platform.AppHost.DataFolder, "operator-key");
        Assert.Equal(platform.Endpoints.OperatorKey, (await File.ReadAllTextAsync(file, Cancellation)).Trim());
        Assert.Matches("^[A-Za-z0-9_-]{43}$", platform.Endpoints.OperatorKey); // 32 bytes, base64url without padding
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(platform.AppHost.EndpointsFile));
        Assert.Contains(platform.Endpoints.OperatorKey, platform.AppHost.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_crashed_service_is_restarted_on_the_same_url_with_a_growing_delay()
    {
        var url = new Uri(platform.Endpoints.Services["membership"], "/health/ready");
        using var http = RunningPlatform.CreateHttpClient();

        foreach (var expectedDelay in new[] { "restarting in 1 s", "restarting in 2 s" })
        {
            var crashed = platform.AppHost.ServiceProcess("Platform.Membership") ?? throw new InvalidOperationException("membership is not running");
            var readyBefore = MembershipReadyLines();
            Assert.Equal(0, Kill(crashed.Pid));

            // Back means: a new process answers, and the AppHost has seen it ready (else the next kill is a failed start, not a crash).
            var restarted = await EventuallyAsync(async () =>
                platform.AppHost.ServiceProcess("Platform.Membership") is { } now && now.Pid != crashed.Pid
                && await IsOkAsync(http, url) && MembershipReadyLines() > readyBefore);
            Assert.True(restarted, $"membership was not back within 20 s:\n{platform.AppHost.Output}");
            Assert.True(platform.AppHost.OutputLines.Any(line => line.StartsWith("membership", StringComparison.Ordinal) && line.Contains(expectedDelay, StringComparison.Ordinal)),
                $"no \"{expectedDelay}\" line for membership:\n{string.Join('\n', platform.AppHost.OutputLines.Where(l => l.Contains("» ", StringComparison.Ordinal)))}");
        }
    }

    private int MembershipReadyLines() =>
        platform.AppHost.OutputLines.Count(line => line.StartsWith("membership", StringComparison.Ordinal) && line.EndsWith("» ready", StringComparison.Ordinal));

    [Fact]
    public async Task A_second_AppHost_on_the_same_data_folder_refuses_and_names_the_first()
    {
        var (exitCode, output) = await AppHostProcess.RunToEndAsync("--no-build", "--data", platform.AppHost.DataFolder);

        Assert.Equal(1, exitCode);
        Assert.Contains($"Another AppHost (pid {platform.AppHost.Pid}) is using the data folder", output, StringComparison.Ordinal);
        Assert.True(File.Exists(platform.AppHost.EndpointsFile), "the first AppHost must be left alone");
    }

    [Fact]
    public async Task Each_process_keeps_its_output_in_its_own_log_file()
    {
        var logs = Path.Combine(platform.AppHost.DataFolder, "logs");
        var membership = await File.ReadAllTextAsync(Path.Combine(logs, "membership.log"), Cancellation);
        Assert.Contains($"Now listening on: {platform.Endpoints.Services["membership"].ToString().TrimEnd('/')}", membership, StringComparison.Ordinal);
        Assert.Contains("database system is ready to accept connections", await File.ReadAllTextAsync(Path.Combine(logs, "postgres.log"), Cancellation), StringComparison.Ordinal);
        Assert.Contains("» ready", await File.ReadAllTextAsync(Path.Combine(logs, "messaging.log"), Cancellation), StringComparison.Ordinal);
    }

    private static int Kill(int pid) => Native.Kill(pid, AppHostProcess.SigKill);

    private static async Task<bool> IsOkAsync(HttpClient http, Uri url)
    {
        try
        {
            using var response = await http.GetAsync(url, Cancellation);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    internal static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return true;
            await Task.Delay(100, Cancellation);
        }
        return false;
    }
}
