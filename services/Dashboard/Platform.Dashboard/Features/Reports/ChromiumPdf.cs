using System.Diagnostics;

namespace Platform.Dashboard.Features.Reports;

/// <summary>
/// HTML to PDF with Debian's Chromium headless, run as a child process with a timeout (<c>Dashboard:Chromium:Path</c>,
/// else <c>chromium</c> on the PATH). The page is written to a temporary folder with a throwaway browser profile, both
/// deleted afterwards; the HTML must be self-contained (Chromium is given no network to fetch anything from).
/// </summary>
public sealed class ChromiumPdf(IConfiguration configuration, ILogger<ChromiumPdf> logger)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    // Two cores are shared with the services: one Chromium at a time.
    private readonly SemaphoreSlim _one = new(1, 1);

    /// <summary>The Chromium executable, or null when none is installed.</summary>
    public string? Executable
    {
        get
        {
            if (configuration["Dashboard:Chromium:Path"] is { Length: > 0 } configured) return File.Exists(configured) ? configured : null;
            var path = Environment.GetEnvironmentVariable("PATH") ?? "";
            return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .SelectMany(dir => new[] { Path.Combine(dir, "chromium"), Path.Combine(dir, "chromium-browser") })
                .FirstOrDefault(File.Exists);
        }
    }

    /// <summary>The PDF, or why there is none (Chromium missing, failed or too slow).</summary>
    public async Task<(byte[]? Pdf, string? Problem)> PrintAsync(string html, CancellationToken cancellationToken)
    {
        if (Executable is not { } chromium)
            return (null, "The PDF cannot be made: Chromium is not installed on the dashboard's machine (scripts/install-os-packages.sh --with-browser installs it). The HTML report works without it.");
        var folder = Directory.CreateTempSubdirectory("annual-report-");
        await _one.WaitAsync(cancellationToken);
        try
        {
            var page = Path.Combine(folder.FullName, "report.html");
            var pdf = Path.Combine(folder.FullName, "report.pdf");
            await File.WriteAllTextAsync(page, html, Encoding.UTF8, cancellationToken);
            var start = new ProcessStartInfo(chromium)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", "--no-first-run", "--disable-extensions",
                // Nothing to fetch: the page is self-contained, and a proxy setting must not make Chromium wait for one.
                "--no-proxy-server", "--disable-background-networking",
                $"--user-data-dir={Path.Combine(folder.FullName, "profile")}", $"--print-to-pdf={pdf}", new Uri(page).AbsoluteUri,
            }) start.ArgumentList.Add(argument);

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                if (cancellationToken.IsCancellationRequested) throw;
                logger.LogWarning("Chromium did not print the annual report within {Timeout}", Timeout);
                return (null, $"The PDF cannot be made: Chromium took longer than {Timeout.TotalSeconds:0} s.");
            }
            await Task.WhenAll(output, errors);
            if (process.ExitCode != 0 || !File.Exists(pdf))
            {
                logger.LogWarning("Chromium failed to print the annual report (exit code {ExitCode}): {Errors}", process.ExitCode, (await errors)[..Math.Min(2000, (await errors).Length)]);
                return (null, $"The PDF cannot be made: Chromium exited with code {process.ExitCode}.");
            }
            return (await File.ReadAllBytesAsync(pdf, cancellationToken), null);
        }
        finally
        {
            _one.Release();
            try
            {
                folder.Delete(recursive: true);
            }
            catch (IOException e)
            {
                logger.LogWarning(e, "Could not delete {Folder}", folder.FullName);
            }
        }
    }
}
