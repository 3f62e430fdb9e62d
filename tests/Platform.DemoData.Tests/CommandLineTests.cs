using System.Net;
using System.Net.Sockets;
using Platform.DemoData.CommandLine;

namespace Platform.DemoData.Tests;

/// <summary>The command the lead's AppHost option (and a developer) runs: its options, messages and exit codes.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("demo-data-tests-").FullName;

    [Fact]
    public void The_endpoints_file_the_AppHost_writes_gives_the_membership_url_and_operator_key()
    {
        var path = Write("""
            {
              "operatorKey": "op_123",
              "services": { "membership": "http://127.0.0.1:5101", "talent-pipeline": "http://127.0.0.1:5102", "events": "http://127.0.0.1:5103" },
              "rabbitmq": { "amqp": "amqp://guest:guest@127.0.0.1:5672/", "management": "http://127.0.0.1:15672/" },
              "postgres": { "membershipdb": "Host=127.0.0.1" }
            }
            """);

        var target = Options(["--endpoints", path]).Target();

        Assert.Equal(new Uri("http://127.0.0.1:5101"), target.Membership);
        Assert.Equal("op_123", target.OperatorKey);
        Assert.Equal(new Uri("http://127.0.0.1:5102"), target.TalentPipeline);
        Assert.Equal(new Uri("http://127.0.0.1:5103"), target.Events);
    }

    [Theory]
    [InlineData("--frobnicate", "Unrecognized command or argument '--frobnicate'")]
    [InlineData("--membership", "Required argument missing for option: '--membership'")]
    [InlineData("--membership ftp://x --operator-key k", "absolute http(s) URL")]
    [InlineData("--membership http://127.0.0.1:5101", "--membership URL and --operator-key KEY go together")]
    [InlineData("--endpoints e.json --operator-key k", "not both")]
    [InlineData("--endpoints e.json --events http://127.0.0.1:5103", "not both")]
    [InlineData("--membership http://127.0.0.1:5101 --operator-key k --events ftp://x", "--events needs an absolute http(s) URL")]
    [InlineData("--membership http://127.0.0.1:5101 --operator-key k --talent-pipeline http://127.0.0.1:5102", "--talent-pipeline URL needs --events URL too")]
    public async Task A_wrong_command_line_exits_2_with_the_reason_and_the_usage(string args, string reason)
    {
        var (exit, _, error) = await RunAsync(args.Split(' '));

        Assert.Equal(2, exit);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.Contains("Run with --help to see the options.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_or_incomplete_endpoints_file_says_what_to_do()
    {
        var (missing, _, missingError) = await RunAsync(["--endpoints", Path.Combine(_folder, "endpoints.json")]);
        Assert.Equal(2, missing);
        Assert.Contains("does not exist. Start the platform first", missingError, StringComparison.Ordinal);

        var (noKey, _, noKeyError) = await RunAsync(["--endpoints", Write("""{ "services": { "membership": "http://127.0.0.1:5101" } }""")]);
        Assert.Equal(2, noKey);
        Assert.Contains("has no \"operatorKey\"", noKeyError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_service_exits_1_naming_the_url()
    {
        var port = ClosedPort();
        var (exit, output, error) = await RunAsync(["--membership", $"http://127.0.0.1:{port}", "--operator-key", "k"]);

        Assert.Equal(1, exit);
        Assert.Contains($"Loading the seed stories into http://127.0.0.1:{port}/", output, StringComparison.Ordinal);
        Assert.Contains($"Demo data: failed. Cannot reach http://127.0.0.1:{port}/", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_prints_the_usage_and_exits_0()
    {
        var (exit, output, _) = await RunAsync(["--help"]);

        Assert.Equal(0, exit);
        foreach (var option in new[] { "--endpoints <FILE>", "--membership <URL>", "--operator-key <KEY>", "--help", "Exit code 0" })
            Assert.Contains(option, output, StringComparison.Ordinal);
    }

    public static TheoryData<string, DemoDataOptions> GoodCommandLines => new()
    {
        { "", new DemoDataOptions() },
        { "--endpoints e.json", new DemoDataOptions { EndpointsFile = "e.json" } },
        { "--endpoints=e.json", new DemoDataOptions { EndpointsFile = "e.json" } },
        { "--membership http://127.0.0.1:5101 --operator-key k", new DemoDataOptions { Membership = new Uri("http://127.0.0.1:5101"), OperatorKey = "k" } },
        { "--operator-key k --membership https://members.example.cn/", new DemoDataOptions { Membership = new Uri("https://members.example.cn/"), OperatorKey = "k" } },
        {
            "--membership http://127.0.0.1:5101 --operator-key k --events http://127.0.0.1:5103 --talent-pipeline http://127.0.0.1:5102",
            new DemoDataOptions
            {
                Membership = new Uri("http://127.0.0.1:5101"), OperatorKey = "k", Events = new Uri("http://127.0.0.1:5103"),
                TalentPipeline = new Uri("http://127.0.0.1:5102"),
            }
        },
    };

    [Theory]
    [MemberData(nameof(GoodCommandLines))]
    public void A_good_command_line_gives_its_options(string args, DemoDataOptions expected)
    {
        Assert.Equal(expected, Options(args.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static DemoDataOptions Options(string[] args)
    {
        var commandLine = new DemoDataCommandLine();
        var parsed = commandLine.Root.Parse(args);
        Assert.Empty(parsed.Errors);
        return commandLine.OptionsOf(parsed);
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await DemoDataCommand.RunAsync(args, output, error, TestContext.Current.CancellationToken);
        return (exit, output.ToString(), error.ToString());
    }

    private string Write(string json)
    {
        var path = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, json);
        return path;
    }

    /// <summary>A port nothing listens on: bound and released at once.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
