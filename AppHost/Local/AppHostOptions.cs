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

    public bool Help { get; init; }

    public const string Usage = """
        Usage: ./run.sh [options]
           or: dotnet run --project AppHost -- [options]

        Starts PostgreSQL, RabbitMQ and every platform service on this machine under .NET Aspire,
        with the Aspire dashboard for their resources, logs, traces and metrics, and keeps them
        running until Ctrl+C.

        Options:
          --data DIR    Keep databases, broker state, logs and the operator key in DIR
                        (default: <repo root>/.data).
          --fresh       Wipe the data folder first: all local data is lost.
          --no-build    (./run.sh only) Do not build; run what was built last.
          --demo        Once everything is ready, load the demo data (the seed stories' consortia,
                        organizations, members and councils) through the public APIs. Loading is
                        idempotent: on an existing data folder it adds only what is missing.
          -h, --help    Show this help.

        Once every resource is healthy, DIR/endpoints.json lists the service URLs, the RabbitMQ
        and PostgreSQL connection strings, the operator key and the Aspire dashboard (URL and
        telemetry API key). Every resource's console output is in DIR/logs/NAME.log too.
        """;

    /// <exception cref="CommandLineException">An unknown option or a missing value.</exception>
    public static AppHostOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new AppHostOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            options = arg switch
            {
                "--data" when i + 1 < args.Count && !args[i + 1].StartsWith('-') => options with { DataFolder = args[++i] },
                "--data" => throw new CommandLineException("--data needs a folder: --data DIR"),
                _ when arg.StartsWith("--data=", StringComparison.Ordinal) => options with { DataFolder = arg["--data=".Length..] },
                "--fresh" => options with { Fresh = true },
                "--demo" => options with { Demo = true },
                "-h" or "--help" or "-?" => options with { Help = true },
                _ => throw new CommandLineException($"Unknown option '{arg}'."),
            };
        }
        return options;
    }
}

public sealed class CommandLineException(string message) : Exception(message);
