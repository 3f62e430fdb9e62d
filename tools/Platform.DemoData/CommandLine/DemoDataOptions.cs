using System.Text.Json;

namespace Platform.DemoData.CommandLine;

/// <summary>A command line the tool cannot act on; shown with the usage.</summary>
public sealed class CommandLineException(string message) : Exception(message);

/// <summary>Where the platform is: the membership service's URL and the operator key.</summary>
public sealed record PlatformTarget(Uri Membership, string OperatorKey)
{
    public Uri? TalentPipeline { get; init; }
    public Uri? Events { get; init; }

    /// <summary>
    /// Reads the AppHost's <c>endpoints.json</c> (AppHost/Local/ReadyReport.cs):
    /// <c>{ "operatorKey": "...", "services": { "membership": "http://127.0.0.1:port", "talent-pipeline": ..., "events": ... } }</c>.
    /// </summary>
    /// <exception cref="CommandLineException">The file is missing or lacks the key or the membership URL.</exception>
    public static PlatformTarget FromEndpointsFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new CommandLineException($"{path} does not exist. Start the platform first (./run.sh writes it once everything is ready), or pass --membership URL --operator-key KEY.");
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new CommandLineException($"{path} is not JSON: {e.Message}");
        }
        var key = root.TryGetProperty("operatorKey", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
        if (string.IsNullOrWhiteSpace(key)) throw new CommandLineException($"{path} has no \"operatorKey\".");
        var membership = ServiceUrl(root, "membership")
            ?? throw new CommandLineException($"{path} has no \"services\".\"membership\" URL; is the membership service running?");
        return new PlatformTarget(membership, key) { TalentPipeline = ServiceUrl(root, "talent-pipeline"), Events = ServiceUrl(root, "events") };
    }

    private static Uri? ServiceUrl(JsonElement root, string service) =>
        root.TryGetProperty("services", out var services) && services.ValueKind == JsonValueKind.Object
        && services.TryGetProperty(service, out var url) && url.ValueKind == JsonValueKind.String
        && Uri.TryCreate(url.GetString(), UriKind.Absolute, out var uri)
            ? uri
            : null;
}

/// <summary>What the user asked for on the command line.</summary>
public sealed record DemoDataOptions
{
    public const string DefaultEndpointsFile = ".data/endpoints.json";

    public string? EndpointsFile { get; init; }
    public Uri? Membership { get; init; }
    public string? OperatorKey { get; init; }
    public bool Help { get; init; }

    public const string Usage = """
        Usage: dotnet run --project tools/Platform.DemoData -- [options]

        Loads the seed stories (Jinan, Jining and Tianjin consortia, their members, councils, charters and the
        people the stories name) into a running platform through its public HTTP API. Idempotent: a second run
        creates nothing and says what was already there.

        Options:
          --endpoints FILE        Read the service URLs and the operator key from the AppHost's endpoints.json
                                  (default: .data/endpoints.json when no other option is given).
          --membership URL        The membership service's base URL, e.g. http://127.0.0.1:5101
          --operator-key KEY      The operator API key (with --membership).
          -h, --help              Show this help.

        Exit code 0 when everything is loaded, 1 when a service refused a call (its problem document is
        printed), 2 for a wrong command line.
        """;

    /// <exception cref="CommandLineException">An unknown option, a missing value, or options that do not go together.</exception>
    public static DemoDataOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new DemoDataOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            options = arg switch
            {
                "--endpoints" => options with { EndpointsFile = Value(args, ref i, "--endpoints FILE") },
                "--membership" => options with { Membership = Url(Value(args, ref i, "--membership URL")) },
                "--operator-key" => options with { OperatorKey = Value(args, ref i, "--operator-key KEY") },
                "-h" or "--help" or "-?" => options with { Help = true },
                _ => throw new CommandLineException($"Unknown option '{arg}'."),
            };
        }
        if (options.Help) return options;
        if (options.EndpointsFile is not null && (options.Membership is not null || options.OperatorKey is not null))
            throw new CommandLineException("Give either --endpoints FILE or --membership URL --operator-key KEY, not both.");
        if ((options.Membership is null) != (options.OperatorKey is null))
            throw new CommandLineException("--membership URL and --operator-key KEY go together.");
        return options;
    }

    /// <summary>The platform the options point at (reading the endpoints file if that is the way).</summary>
    public PlatformTarget Target() =>
        Membership is not null && OperatorKey is not null
            ? new PlatformTarget(Membership, OperatorKey)
            : PlatformTarget.FromEndpointsFile(EndpointsFile ?? DefaultEndpointsFile);

    private static string Value(IReadOnlyList<string> args, ref int i, string usage) =>
        i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : throw new CommandLineException($"Missing value: {usage}");

    private static Uri Url(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new CommandLineException($"--membership needs an absolute http(s) URL, not '{text}'.");
}
