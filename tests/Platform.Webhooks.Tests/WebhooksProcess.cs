using System.Collections.Concurrent;
using System.Globalization;
using Platform.Hosting;
using Platform.Testing;

namespace Platform.Webhooks.Tests;

/// <summary>The webhooks service as its own OS process (the built Platform.Webhooks.dll), so a test can SIGKILL it.</summary>
internal sealed class WebhooksProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly ConcurrentQueue<string> _output;
    private readonly ConcurrentQueue<string> _messaging;

    private WebhooksProcess(ChildProcess process, ConcurrentQueue<string> output, ConcurrentQueue<string> messaging, Uri baseAddress)
    {
        _process = process;
        _output = output;
        _messaging = messaging;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>Starts it on <paramref name="database"/> and <paramref name="broker"/>, loopback receivers allowed, and waits until it is ready.</summary>
    public static async Task<WebhooksProcess> StartAsync(string database, Uri broker, IReadOnlyDictionary<string, string> settings)
    {
        var output = new ConcurrentQueue<string>();
        var url = new Uri($"http://127.0.0.1:{FreePort.Next().ToString(CultureInfo.InvariantCulture)}");
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = url.ToString(),
            ["ConnectionStrings__webhooksdb"] = database,
            ["ConnectionStrings__messaging"] = broker.ToString(),
            ["Platform__OperatorKey"] = ServiceUnderTest<Program>.OperatorKey,
            ["Webhooks__AllowPrivateTargets"] = "true",
            ["Logging__LogLevel__Default"] = "Warning",
            // The inbox's duplicates and the delayed redeliveries, kept whole (the rest of the output only its last lines).
            ["Logging__LogLevel__Platform.ServiceDefaults.Messaging"] = "Information",
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
        };
        foreach (var (key, value) in settings) environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        var spec = new ChildProcessSpec(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", [Path.Combine(AppContext.BaseDirectory, "Platform.Webhooks.dll")])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            Environment = environment,
        };
        var messaging = new ConcurrentQueue<string>();
        var service = new WebhooksProcess(ChildProcess.Start(spec, (line, _) =>
        {
            if (line.Contains("Platform.ServiceDefaults.Messaging.InboxFilter", StringComparison.Ordinal)
                || line.Contains("Platform.ServiceDefaults.Messaging.DelayedRedeliveryFilter", StringComparison.Ordinal))
                messaging.Enqueue(line);
            output.Enqueue(line);
            while (output.Count > 200) output.TryDequeue(out var _);
        }), output, messaging, url);

        using var http = new HttpClient { BaseAddress = url };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            if (service._process.HasExited) throw new InvalidOperationException($"The webhooks service exited:{Environment.NewLine}{service.Tail()}");
            try
            {
                using var ready = await http.GetAsync(new Uri("/health/ready", UriKind.Relative), TestContext.Current.CancellationToken);
                if (ready.IsSuccessStatusCode) return service;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The webhooks service did not become ready:{Environment.NewLine}{service.Tail()}");
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }

    public HttpClient Operator()
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Add("X-Api-Key", ServiceUnderTest<Program>.OperatorKey);
        return client;
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a crash or an OOM kill.</summary>
    public async Task<int> KillAsync()
    {
        _process.Kill();
        return await _process.Exited;
    }

    public string Tail() => string.Join(Environment.NewLine, _output.TakeLast(40));

    /// <summary>Every line the inbox (duplicates) and the delayed redelivery wrote.</summary>
    public string MessagingLines() => _messaging.IsEmpty ? "(none)" : string.Join(Environment.NewLine, _messaging);

    public async ValueTask DisposeAsync() => await _process.DisposeAsync();
}
