using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Platform.Hosting;
using Platform.OutboxProbe;

namespace Platform.ServiceDefaults.Tests.Messaging;

/// <summary>The probe service as a separate OS process (tests/Platform.OutboxProbe/Program.cs), so a test can really kill it.</summary>
internal sealed class ProbeProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly ConcurrentQueue<string> _output;

    private ProbeProcess(ChildProcess process, ConcurrentQueue<string> output)
    {
        _process = process;
        _output = output;
    }

    public Task<int> Exited => _process.Exited;

    /// <summary>Starts the probe: it commits <paramref name="count"/> orders from <paramref name="firstNumber"/>, one transaction each, then keeps running.</summary>
    /// <param name="consume">Also consume OrderPlaced (endpoint <c>probe-order-placed</c>) with <see cref="OrderPlacedConsumer"/>.</param>
    /// <param name="settings">More configuration, as keys like <c>Messaging:RedeliveryIntervals:0</c>.</param>
    public static ProbeProcess Start(string database, Uri broker, int firstNumber, int count, bool deliver, bool consume = false,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var output = new ConcurrentQueue<string>();
        var spec = new ChildProcessSpec(
            Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet",
            [Path.Combine(AppContext.BaseDirectory, "Platform.OutboxProbe.dll")])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            Environment = new Dictionary<string, string?>(
                (settings ?? new Dictionary<string, string?>()).Select(s => KeyValuePair.Create(s.Key.Replace(":", "__", StringComparison.Ordinal), s.Value)))
            {
                ["ConnectionStrings__probedb"] = database,
                ["ConnectionStrings__messaging"] = broker.ToString(),
                ["Probe__FirstNumber"] = firstNumber.ToString(CultureInfo.InvariantCulture),
                ["Probe__Count"] = count.ToString(CultureInfo.InvariantCulture),
                ["Messaging__Outbox__DeliveryEnabled"] = deliver ? "true" : "false",
                ["Probe__Consume"] = consume ? "true" : "false",
                ["Logging__LogLevel__Default"] = "Warning",
            },
        };

        return new ProbeProcess(ChildProcess.Start(spec, (line, _) => output.Enqueue(line)), output);
    }

    public async Task WaitForOutputAsync(string line, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!_output.Contains(line))
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"The probe exited ({await _process.Exited}) before writing '{line}':{Environment.NewLine}{Tail()}");
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"The probe did not write '{line}' within {timeout.TotalSeconds:0} s:{Environment.NewLine}{Tail()}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a crash or an OOM kill.</summary>
    public async Task<int> KillAsync()
    {
        _process.Kill();
        return await _process.Exited;
    }

    public string Tail() => string.Join(Environment.NewLine, _output.TakeLast(30));

    public async ValueTask DisposeAsync() => await _process.DisposeAsync();
}

/// <summary>Reads a probe database directly (no host), e.g. one a probe process writes to.</summary>
internal static class ProbeDatabase
{
    public static async Task<T> QueryAsync<T>(string connectionString, Func<ProbeDbContext, Task<T>> query)
    {
        await using var db = new ProbeDbContext(new DbContextOptionsBuilder<ProbeDbContext>().UseNpgsql(connectionString).Options);
        return await query(db);
    }
}
