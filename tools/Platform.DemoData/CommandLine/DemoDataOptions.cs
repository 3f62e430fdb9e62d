using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Text.Json;

namespace Platform.DemoData.CommandLine;

/// <summary>An endpoints file the tool cannot act on (exit code 2, like a wrong command line).</summary>
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
    public Uri? Events { get; init; }
    public Uri? TalentPipeline { get; init; }
    public string? OperatorKey { get; init; }

    /// <summary>The platform the options point at (reading the endpoints file if that is the way).</summary>
    public PlatformTarget Target() =>
        Membership is not null && OperatorKey is not null
            ? new PlatformTarget(Membership, OperatorKey) { Events = Events, TalentPipeline = TalentPipeline }
            : PlatformTarget.FromEndpointsFile(EndpointsFile ?? DefaultEndpointsFile);
}

/// <summary>The tool's command line (System.CommandLine): its options, their help, and the rules between them.</summary>
public sealed class DemoDataCommandLine
{
    private const string Description = """
        Loads the seed stories (Jinan, Jining and Tianjin consortia, their members, councils, charters and the people
        the stories name; their events and outcomes; the programs, illustrative cohorts, demands and a year of
        placements) into a running platform through its public HTTP APIs. Idempotent: a second run creates nothing
        and says what was already there. Run it as dotnet run --project tools/Platform.DemoData -- [options].
        """;

    private const string AfterOptions = """
        Exit code 0 when everything is loaded, 1 when a service refused a call (its problem document is printed),
        2 for a wrong command line.
        """;

    private readonly Option<string> _endpoints = new("--endpoints")
    {
        HelpName = "FILE",
        Description = $"Read the service URLs and the operator key from the AppHost's endpoints.json (default: {DemoDataOptions.DefaultEndpointsFile} when no other option is given).",
    };

    private readonly Option<Uri> _membership = new("--membership")
    {
        HelpName = "URL",
        Description = "The membership service's base URL, e.g. http://127.0.0.1:5101",
        CustomParser = HttpUrl,
    };

    private readonly Option<Uri> _events = new("--events")
    {
        HelpName = "URL",
        Description = "The events service's base URL (with --membership): loads the stories' events and their outcomes.",
        CustomParser = HttpUrl,
    };

    private readonly Option<Uri> _talentPipeline = new("--talent-pipeline")
    {
        HelpName = "URL",
        Description = "The talent-pipeline service's base URL (with --membership and --events): programs, cohorts, demands and placements.",
        CustomParser = HttpUrl,
    };

    private readonly Option<string> _operatorKey = new("--operator-key") { HelpName = "KEY", Description = "The operator API key (with --membership)." };

    public DemoDataCommandLine()
    {
        Root = new RootCommand(Description) { _endpoints, _membership, _events, _talentPipeline, _operatorKey };
        Root.Options.Remove(Root.Options.OfType<VersionOption>().Single());
        var help = Root.Options.OfType<HelpOption>().Single();
        help.Action = new HelpThenText((HelpAction)help.Action!, AfterOptions);
        Root.Validators.Add(result =>
        {
            var endpoints = result.GetResult(_endpoints) is not null;
            var membership = result.GetResult(_membership) is not null;
            if (result.GetResult(_membership) is { Tokens.Count: 0 }) return;   // named by its own error
            var operatorKey = result.GetResult(_operatorKey) is not null;
            var events = result.GetResult(_events) is not null;
            var talentPipeline = result.GetResult(_talentPipeline) is not null;
            if (endpoints && (membership || operatorKey || events || talentPipeline))
                result.AddError("Give either --endpoints FILE or --membership URL --operator-key KEY, not both.");
            else if (membership != operatorKey)
                result.AddError("--membership URL and --operator-key KEY go together.");
            else if ((events || talentPipeline) && !membership)
                result.AddError("--events URL and --talent-pipeline URL go with --membership URL --operator-key KEY.");
            else if (talentPipeline && !events)
                result.AddError("--talent-pipeline URL needs --events URL too: its programs follow from the events' agreements and unveilings.");
        });
    }

    public RootCommand Root { get; }

    /// <summary>The options of a command line that parsed without errors.</summary>
    public DemoDataOptions OptionsOf(ParseResult parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        return new DemoDataOptions
        {
            EndpointsFile = parsed.GetValue(_endpoints),
            Membership = parsed.GetValue(_membership),
            Events = parsed.GetValue(_events),
            TalentPipeline = parsed.GetValue(_talentPipeline),
            OperatorKey = parsed.GetValue(_operatorKey),
        };
    }

    private static Uri? HttpUrl(ArgumentResult result)
    {
        var name = result.Parent is OptionResult option ? option.Option.Name : "--membership";
        if (result.Tokens.Count != 1)
        {
            result.AddError($"{name} needs a URL: {name} URL");
            return null;
        }
        var text = result.Tokens[0].Value;
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https") return uri;
        result.AddError($"{name} needs an absolute http(s) URL, not '{text}'.");
        return null;
    }

    private sealed class HelpThenText(HelpAction help, string text) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var exitCode = help.Invoke(parseResult);
            parseResult.InvocationConfiguration.Output.WriteLine(text);
            return exitCode;
        }
    }
}
