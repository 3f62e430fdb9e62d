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
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        PlatformTarget target;
        try
        {
            var options = DemoDataOptions.Parse(args);
            if (options.Help)
            {
                await output.WriteLineAsync(DemoDataOptions.Usage);
                return 0;
            }
            target = options.Target();
        }
        catch (CommandLineException e)
        {
            await error.WriteLineAsync($"Demo data: {e.Message}{Environment.NewLine}{Environment.NewLine}{DemoDataOptions.Usage}");
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
