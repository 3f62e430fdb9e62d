using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.Testing;

namespace Platform.DemoData.Tests;

/// <summary>
/// The membership service listening on a real port (Kestrel, not the in-memory test server), so the command
/// line runs exactly as after <c>./run.sh</c>: URL and operator key from an endpoints.json, real HTTP.
/// </summary>
public sealed class ListeningMembership(ThrowawayPostgres postgres, ThrowawayRabbitMq rabbit) : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly Dictionary<string, string> _settings = new(StringComparer.Ordinal);

    public Uri Url { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        _settings["ConnectionStrings:membershipdb"] = await postgres.CreateDatabaseAsync("membershipdb");
        _settings["ConnectionStrings:messaging"] = (await rabbit.CreateVirtualHostAsync("membershipdb")).ToString();
        _settings["Platform:OperatorKey"] = ServiceUnderTest<Program>.OperatorKey;
        UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
        StartServer();
        Url = new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Production");
        // Only what went wrong: a successful load is a few hundred requests of information lines.
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
    }

}

public sealed class CommandAgainstARunningServiceTests(ListeningMembership membership) : IClassFixture<ListeningMembership>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("demo-data-run-").FullName;

    [Fact]
    public async Task The_command_loads_from_the_endpoints_file_exits_0_and_a_second_run_creates_nothing()
    {
        var endpoints = Path.Combine(_folder, "endpoints.json");
        await File.WriteAllTextAsync(endpoints, $$"""
            { "operatorKey": "{{ServiceUnderTest<Program>.OperatorKey}}", "services": { "membership": "{{membership.Url.ToString().TrimEnd('/')}}" } }
            """, TestContext.Current.CancellationToken);

        var (first, firstOutput, firstError) = await RunAsync(["--endpoints", endpoints]);
        Assert.True(first == 0, firstError);
        Assert.Contains("created        council roles    Jining Technician Education Group, session 1: 1 viceChair", firstOutput, StringComparison.Ordinal);
        Assert.Matches(@"Done: \d+ created, 0 already there, 0 left as is\.", firstOutput);

        var (second, secondOutput, secondError) = await RunAsync(["--membership", membership.Url.ToString(), "--operator-key", ServiceUnderTest<Program>.OperatorKey]);
        Assert.True(second == 0, secondError);
        Assert.Matches(@"Done: 0 created, \d+ already there, 0 left as is\.", secondOutput);
    }

    [Fact]
    public async Task A_wrong_operator_key_exits_1_with_the_refused_request_and_its_problem_document()
    {
        var (exit, _, error) = await RunAsync(["--membership", membership.Url.ToString(), "--operator-key", "wrong-key"]);

        Assert.Equal(1, exit);
        Assert.Contains("Demo data: failed. GET /api/v1/organizations?name=", error, StringComparison.Ordinal);
        Assert.Contains("answered 401 (Unauthorized)", error, StringComparison.Ordinal);
        Assert.Contains("\"status\": 401", error, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static async Task<(int Exit, string Output, string Error)> RunAsync(string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await DemoDataCommand.RunAsync(args, output, error, TestContext.Current.CancellationToken);
        return (exit, output.ToString(), error.ToString());
    }
}
