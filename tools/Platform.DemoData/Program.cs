using System.CommandLine;
using System.CommandLine.Invocation;
using Platform.DemoData.Api;
using Platform.DemoData.CommandLine;
using Platform.DemoData.Loading;

namespace Platform.DemoData;

/// <summary>Entry point: parse the command line, load the stories, print what happened, exit 0/1/2.</summary>
public static class DemoDataCommand
{
    public static async Task<int> Main(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        return await RunAsync(args, Console.Out, Console.Error, cancel.Token);
    }

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var commandLine = new DemoDataCommandLine();
        commandLine.Root.SetAction((parsed, cancel) => LoadAsync(commandLine.OptionsOf(parsed), output, error, cancel));
        var parsed = commandLine.Root.Parse(args);
        if (parsed.Action is ParseErrorAction)
        {
            foreach (var problem in parsed.Errors) await error.WriteLineAsync($"Demo data: {problem.Message}");
            await error.WriteLineAsync("Run with --help to see the options.");
            return 2;
        }
        // The AppHost runs this in its own process: no Ctrl+C handling of System.CommandLine's (Main and the
        // AppHost cancel the token), and exceptions go to the caller as before.
        return await parsed.InvokeAsync(
            new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null },
            cancellationToken);
    }

    private static async Task<int> LoadAsync(DemoDataOptions options, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        PlatformTarget target;
        try
        {
            target = options.Target();
        }
        catch (CommandLineException e)
        {
            await error.WriteLineAsync($"Demo data: {e.Message}");
            return 2;
        }

        using var membership = Client(target.Membership, target.OperatorKey);
        using var talentPipeline = target.TalentPipeline is { } pipelineUrl ? Client(pipelineUrl, target.OperatorKey) : null;
        using var events = target.Events is { } eventsUrl ? Client(eventsUrl, target.OperatorKey) : null;
        try
        {
            await output.WriteLineAsync($"Loading the seed stories into {target.Membership}");
            var services = new DemoServices(membership) { TalentPipeline = talentPipeline, Events = events };
            await DemoLoader.LoadAsync(services, output, cancellationToken: cancellationToken);
            return 0;
        }
        catch (ApiProblemException e)
        {
            await error.WriteLineAsync($"Demo data: failed. {e.Message}");
            return 1;
        }
        catch (HttpRequestException e)
        {
            await error.WriteLineAsync($"Demo data: failed. Cannot reach {target.Membership}: {e.Message}");
            return 1;
        }
        catch (TimeoutException e)
        {
            await error.WriteLineAsync($"Demo data: failed. {e.Message}");
            return 1;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("Demo data: cancelled; run again to finish (nothing is created twice).");
            return 1;
        }
    }

    private static HttpClient Client(Uri baseAddress, string operatorKey)
    {
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-Api-Key", operatorKey);
        return client;
    }
}
