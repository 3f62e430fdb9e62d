using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Platform.AppHost.Local;

/// <summary>What the user asked for on the command line.</summary>
public sealed record AppHostOptions
{
    /// <summary>Where everything the run keeps lives; null means <c>&lt;repo root&gt;/.data</c>.</summary>
    public string? DataFolder { get; init; }

    /// <summary>Wipe the data folder before starting.</summary>
    public bool Fresh { get; init; }

    /// <summary>Once everything is ready, load the seed stories through the public APIs (tools/Platform.DemoData).</summary>
    public bool Demo { get; init; }

    /// <summary>Run scaled out: a 3-node RabbitMQ cluster, 2 instances of each service behind a load balancer each.</summary>
    public bool Scale { get; init; }

    private const string Description = """
        Starts PostgreSQL, RabbitMQ and every platform service on this machine under .NET Aspire, with the Aspire
        dashboard for their resources, logs, traces and metrics, and keeps them running until Ctrl+C.
        Run it as ./run.sh [options] (or dotnet run --project AppHost -- [options]).
        """;

    private const string AfterOptions = """
        Once every resource is healthy, DIR/endpoints.json lists the service URLs, the RabbitMQ and PostgreSQL
        connection strings, the operator key and the Aspire dashboard (URL and telemetry API key). Every resource's
        console output is in DIR/logs/NAME.log too.
        """;

    /// <summary>
    /// Parses the command line. Null when there is nothing to run: then <paramref name="exitCode"/> is 0 (help
    /// written to <paramref name="output"/>) or 2 (a wrong command line, named on <paramref name="error"/>).
    /// </summary>
    public static AppHostOptions? Read(IReadOnlyList<string> args, TextWriter output, TextWriter error, out int exitCode)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var data = new Option<string>("--data")
        {
            HelpName = "DIR",
            Description = "Keep databases, broker state, logs and the operator key in DIR (default: <repo root>/.data).",
            // As before: `--data --fresh` is a forgotten folder, not a folder named --fresh.
            CustomParser = result =>
            {
                var folder = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
                if (folder.Length == 0 || folder.StartsWith('-')) result.AddError("--data needs a folder: --data DIR");
                return folder;
            },
        };
        var fresh = new Option<bool>("--fresh") { Description = "Wipe the data folder first: all local data is lost." };
        // run.sh consumes it; listed (and accepted, doing nothing) so the one help tells every option of ./run.sh.
        var noBuild = new Option<bool>("--no-build") { Description = "(./run.sh only) Do not build; run what was built last." };
        var demo = new Option<bool>("--demo")
        {
            Description = "Once everything is ready, load the demo data (the seed stories' consortia, organizations, members and " +
                          "councils) through the public APIs. Loading is idempotent: on an existing data folder it adds only what is missing.",
        };
        var scale = new Option<bool>("--scale")
        {
            Description = "Run scaled out, as a province's platform would: a 3-node RabbitMQ cluster (quorum queues replicated on every " +
                          "node), 2 instances of each service and a load balancer (YARP) in front of each service on its usual port. " +
                          "Without --data its data folder is <repo root>/.data-scale, apart from the single-node run's.",
        };
        var root = new RootCommand(Description) { data, fresh, noBuild, demo, scale };
        AppHostOptions? options = null;
        root.SetAction(parsed => options = new AppHostOptions
        {
            DataFolder = parsed.GetValue(data),
            Fresh = parsed.GetValue(fresh),
            Demo = parsed.GetValue(demo),
            Scale = parsed.GetValue(scale),
        });

        HelpTells(root, AfterOptions);
        var parsed = root.Parse(args);
        if (parsed.Action is ParseErrorAction)
        {
            foreach (var problem in parsed.Errors) error.WriteLine(problem.Message);
            error.WriteLine("Run with --help to see the options.");
            exitCode = 2;
            return null;
        }
        exitCode = parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        return options;
    }

    /// <summary>The standard help, then a paragraph of what the options lead to; no --version (the AppHost has none of its own).</summary>
    private static void HelpTells(RootCommand root, string afterOptions)
    {
        root.Options.Remove(root.Options.OfType<VersionOption>().Single());
        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new HelpThenText((HelpAction)help.Action!, afterOptions);
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
