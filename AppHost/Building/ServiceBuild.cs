using System.Text.Json;
using Platform.AppHost.Model;
using Platform.AppHost.Output;
using Platform.Hosting;

namespace Platform.AppHost.Building;

/// <summary>
/// Builds the services before they start: one `dotnet build` of a solution filter listing just their projects,
/// so MSBuild builds them (and what they share) in parallel, once, and never touches the running AppHost.
/// </summary>
public static class ServiceBuild
{
    public static async Task RunAsync(IReadOnlyList<ServiceResource> services, string repositoryRoot, string filterFile, BuildSettings settings, ResourceLog log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(log);
        var filter = new
        {
            solution = new
            {
                path = Path.Combine(repositoryRoot, RepositoryRoot.SolutionFile),
                projects = services.Select(s => Path.GetRelativePath(repositoryRoot, s.ProjectFile)).ToArray(),
            },
        };
        Directory.CreateDirectory(Path.GetDirectoryName(filterFile)!);
        await File.WriteAllTextAsync(filterFile, JsonSerializer.Serialize(filter), cancellationToken);

        log.Note($"dotnet build ({settings.Configuration}): {string.Join(", ", services.Select(s => s.Name))}");
        var started = DateTime.UtcNow;
        var build = ChildProcess.Start(
            new ChildProcessSpec(settings.DotnetHost, ["build", filterFile, "--configuration", settings.Configuration, "--nologo", "--verbosity", "quiet"])
            {
                WorkingDirectory = repositoryRoot,
            },
            log.Write);
        int exitCode;
        try
        {
            exitCode = await build.Exited.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await build.StopAsync(TimeSpan.FromSeconds(5));
            throw;
        }
        if (exitCode != 0)
            throw new AppHostException($"The build failed (exit code {exitCode}); the errors are above and in {log.FilePath}. Fix them, or start with --no-build to run what was built last.");
        log.Note($"done in {(DateTime.UtcNow - started).TotalSeconds:0.0} s");
    }
}
