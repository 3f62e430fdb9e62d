using System.Net;
using Platform.Hosting;

namespace Platform.AppHost.Running;

/// <summary>Waits until a service answers its readiness endpoint with 200 (its database, broker and outbox are OK).</summary>
public static class ReadinessProbe
{
    // No proxy: the services listen on 127.0.0.1 and an http_proxy variable must not get in between.
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(2) };

    /// <exception cref="InvalidOperationException">The process exited, or it did not get ready in time.</exception>
    public static async Task WaitUntilReadyAsync(Uri readyUrl, ChildProcess process, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(process);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var pause = TimeSpan.FromMilliseconds(25);
        var lastAnswer = "no answer yet";
        while (true)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"exited with code {await process.Exited} before it was ready");
            try
            {
                using var response = await Http.GetAsync(readyUrl, deadline.Token);
                if (response.StatusCode == HttpStatusCode.OK) return;
                lastAnswer = $"last answer {(int)response.StatusCode}";
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (OperationCanceledException) when (!deadline.IsCancellationRequested)
            {
                // That request timed out; the next one may not.
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new InvalidOperationException($"{readyUrl} did not answer 200 within {timeout.TotalSeconds:0} s ({lastAnswer})");
            }

            await Task.WhenAny(Task.Delay(pause, deadline.Token), process.Exited);
            cancellationToken.ThrowIfCancellationRequested();
            if (deadline.IsCancellationRequested)
                throw new InvalidOperationException($"{readyUrl} did not answer 200 within {timeout.TotalSeconds:0} s ({lastAnswer})");
            pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 250));
        }
    }
}
