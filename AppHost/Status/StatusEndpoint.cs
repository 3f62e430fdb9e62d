using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Platform.AppHost.Output;

namespace Platform.AppHost.Status;

/// <summary>One resource as the status endpoint reports it.</summary>
public sealed record ResourceSnapshot(
    string Name, string Kind, string State, bool Ready, string? Url, int? ProcessId, DateTimeOffset? StartedAt, int Restarts, int? LastExitCode, string? Problem);

/// <summary>
/// A small HTTP endpoint on 127.0.0.1 for the operator dashboard: <c>GET /resources</c> (every resource's state,
/// readiness, restarts) and <c>GET /resources/NAME/logs?lines=N</c> (its latest console output). Every request
/// needs the operator key in <c>X-Api-Key</c>: console output can hold connection strings and keys.
/// </summary>
public sealed class StatusEndpoint : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly HttpListener _listener = new();
    private readonly byte[] _keyHash;
    private readonly Func<IReadOnlyList<ResourceSnapshot>> _snapshot;
    private readonly Func<string, int, IReadOnlyList<ConsoleLine>?> _console;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    private StatusEndpoint(int port, string operatorKey, Func<IReadOnlyList<ResourceSnapshot>> snapshot, Func<string, int, IReadOnlyList<ConsoleLine>?> console)
    {
        Url = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(Url);
        _keyHash = SHA256.HashData(Encoding.UTF8.GetBytes(operatorKey));
        _snapshot = snapshot;
        _console = console;
    }

    /// <summary>Base URL, with a trailing slash.</summary>
    public string Url { get; }

    /// <summary>Starts listening on 127.0.0.1:<paramref name="port"/>.</summary>
    /// <param name="port">A free port.</param>
    /// <param name="operatorKey">The key every request must present.</param>
    /// <param name="snapshot">Every resource, now.</param>
    /// <param name="console">The latest lines of a resource, or null when there is no such resource.</param>
    public static StatusEndpoint Start(int port, string operatorKey, Func<IReadOnlyList<ResourceSnapshot>> snapshot, Func<string, int, IReadOnlyList<ConsoleLine>?> console)
    {
        ArgumentException.ThrowIfNullOrEmpty(operatorKey);
        var endpoint = new StatusEndpoint(port, operatorKey, snapshot, console);
        endpoint._listener.Start();
        endpoint._loop = endpoint.AcceptAsync();
        return endpoint;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            var request = context.Request;
            var presented = request.Headers["X-Api-Key"];
            if (string.IsNullOrEmpty(presented) || !CryptographicOperations.FixedTimeEquals(_keyHash, SHA256.HashData(Encoding.UTF8.GetBytes(presented))))
            {
                await WriteAsync(response, HttpStatusCode.Unauthorized, new { title = "The operator key is required in X-Api-Key." });
                return;
            }
            var path = request.Url?.AbsolutePath.TrimEnd('/') ?? "";
            if (request.HttpMethod != "GET")
                await WriteAsync(response, HttpStatusCode.MethodNotAllowed, new { title = "Only GET." });
            else if (path == "/resources")
                await WriteAsync(response, HttpStatusCode.OK, _snapshot());
            else if (path.StartsWith("/resources/", StringComparison.Ordinal) && path.EndsWith("/logs", StringComparison.Ordinal))
            {
                var name = Uri.UnescapeDataString(path["/resources/".Length..^"/logs".Length]);
                var lines = int.TryParse(request.QueryString["lines"], out var n) ? Math.Clamp(n, 1, ResourceLog.RecentCapacity) : 200;
                if (_console(name, lines) is { } output) await WriteAsync(response, HttpStatusCode.OK, output);
                else await WriteAsync(response, HttpStatusCode.NotFound, new { title = $"No resource named '{name}'." });
            }
            else
                await WriteAsync(response, HttpStatusCode.NotFound, new { title = "Not found." });
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
        {
            // The caller went away.
        }
        finally
        {
            response.Close();
        }
    }

    private static async Task WriteAsync<T>(HttpListenerResponse response, HttpStatusCode status, T body)
    {
        response.StatusCode = (int)status;
        response.ContentType = "application/json; charset=utf-8";
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, Json);
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Close();
        // Closing the listener ends a pending accept; bounded all the same, so a stop never hangs on it.
        if (_loop is not null) await _loop.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }
}
