using System.Text.RegularExpressions;

namespace Platform.AppHost.Local;

/// <summary>
/// Every resource's console output also goes to <c>DIR/logs/NAME.log</c> (appended across runs), so it can be
/// read with the usual tools and outlives the Aspire dashboard, which keeps it in memory only.
/// </summary>
internal sealed partial class ResourceLogFiles(LocalRun run, DistributedApplicationModel model, ResourceLoggerService logs)
{
    public Task CopyAllAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(model.Resources.Where(PlatformResources.IsOurs).Select(resource => CopyAsync(resource, stoppingToken)));

    private async Task CopyAsync(IResource resource, CancellationToken stoppingToken)
    {
        var path = Path.Combine(run.DataFolder.Logs, resource.Name + ".log");
        await using var file = new StreamWriter(path, append: true) { AutoFlush = false };
        await file.WriteLineAsync($"---- {DateTimeOffset.Now:yyyy-MM-dd HH:mm:ss zzz} AppHost started (pid {Environment.ProcessId})");
        try
        {
            await foreach (var batch in logs.WatchAsync(resource).WithCancellation(stoppingToken))
            {
                foreach (var line in batch)
                {
                    var text = AnsiEscape().Replace(line.Content, "");
                    await file.WriteLineAsync(line.IsErrorMessage ? "! " + text : text);
                }
                await file.FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    // The services colour their console (the Aspire dashboard shows the colours); a file gets plain text.
    [GeneratedRegex(@"\x1B\[[0-9;]*[A-Za-z]")]
    private static partial Regex AnsiEscape();
}
