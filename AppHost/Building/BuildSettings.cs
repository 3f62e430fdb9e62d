using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Platform.AppHost.Building;

/// <summary>
/// How the services are built and run: with the configuration and target framework the AppHost itself was
/// built with (Debug under `dotnet run`), by the dotnet host that runs the AppHost.
/// </summary>
public sealed record BuildSettings(string Configuration, string TargetFramework, string DotnetHost)
{
    public static BuildSettings OfThisAppHost()
    {
        var configuration = typeof(BuildSettings).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var framework = new FrameworkName(AppContext.TargetFrameworkName ?? ".NETCoreApp,Version=v10.0");
        var targetFramework = $"net{framework.Version.Major}.{framework.Version.Minor}";
        // The runtime lives in DOTNET_ROOT/shared/Microsoft.NETCore.App/VERSION/; the dotnet host in DOTNET_ROOT.
        var dotnetRoot = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var host = Path.Combine(dotnetRoot, "dotnet");
        return new BuildSettings(configuration, targetFramework, File.Exists(host) ? host : "dotnet");
    }
}
