using System.Text.RegularExpressions;

namespace Platform.Deploy.Tests;

/// <summary>
/// What the AppHost gives each service, read from its source (AppHost/Program.cs and Local/PlatformResources.cs), so
/// the manifests are compared with the code and not with a list kept here: a reference to a database is
/// <c>ConnectionStrings__&lt;db&gt;</c>, to the broker <c>ConnectionStrings__&lt;name&gt;</c>, to another service
/// <c>services__&lt;name&gt;__http__0</c>; <c>WithEnvironment("X", …)</c> in a service's chain is X.
/// </summary>
public sealed partial class AppHostModel
{
    public sealed record Service(string Name, string? Database, IReadOnlySet<string> Keys);

    public AppHostModel(string root)
    {
        var program = File.ReadAllText(Path.Combine(root, "AppHost", "Program.cs"));
        var resources = File.ReadAllText(Path.Combine(root, "AppHost", "Local", "PlatformResources.cs"));

        var databases = DatabaseDeclaration().Matches(program).ToDictionary(m => m.Groups["var"].Value, m => m.Groups["name"].Value);
        var brokers = BrokerDeclaration().Matches(program).ToDictionary(m => m.Groups["var"].Value, m => m.Groups["name"].Value);
        var projects = ProjectDeclaration().Matches(program).ToList();
        var projectNames = projects.Where(p => p.Groups["var"].Success).ToDictionary(p => p.Groups["var"].Value, p => p.Groups["name"].Value);

        // AsPlatformService(...) adds what its body's WithEnvironment calls name.
        var platformServiceBody = PlatformServiceMethod().Match(resources);
        if (!platformServiceBody.Success) throw new InvalidOperationException("AsPlatformService not found in PlatformResources.cs");
        var platformKeys = EnvironmentCall().Matches(platformServiceBody.Value).Select(m => m.Groups["key"].Value).ToList();

        var services = new List<Service>();
        foreach (var project in projects)
        {
            var chain = project.Groups["chain"].Value;
            var keys = new HashSet<string>(StringComparer.Ordinal);
            string? database = null;
            foreach (Match reference in ReferenceCall().Matches(chain))
            {
                var target = reference.Groups["target"].Value;
                if (databases.TryGetValue(target, out var db)) { keys.Add($"ConnectionStrings__{db}"); database = db; }
                else if (brokers.TryGetValue(target, out var broker)) keys.Add($"ConnectionStrings__{broker}");
                else if (projectNames.TryGetValue(target, out var other)) keys.Add($"services__{other}__http__0");
                else throw new InvalidOperationException($"{project.Groups["name"].Value}: WithReference({target}) is neither a database, a broker nor a project");
            }
            foreach (Match environment in EnvironmentCall().Matches(chain)) keys.Add(environment.Groups["key"].Value);
            foreach (Match url in DashboardUrlCall().Matches(chain)) keys.Add(url.Groups["key"].Value);
            if (project.Groups["platform"].Success || chain.Contains(".AsPlatformService(", StringComparison.Ordinal)) keys.UnionWith(platformKeys);
            services.Add(new Service(project.Groups["name"].Value, database, keys));
        }
        Services = services;
    }

    public IReadOnlyList<Service> Services { get; }

    /// <summary>The services with a database of their own: the four that scale out (the dashboard has none).</summary>
    public IEnumerable<Service> DomainServices => Services.Where(s => s.Database is not null);

    public static AppHostModel Repository { get; } = new(Manifests.FindRoot());

    [GeneratedRegex("""var (?<var>\w+) = \w+\.AddDatabase\("(?<name>[\w-]+)"\)""")]
    private static partial Regex DatabaseDeclaration();

    [GeneratedRegex(@"var (?<var>\w+) = builder\.(?:AddRabbitMqServer|AddPlatformBroker)\(""(?<name>[\w-]+)""")]
    private static partial Regex BrokerDeclaration();

    // A project's statement runs from AddProject (or AddPlatformService, which applies AsPlatformService to each
    // instance) to the first semicolon: the fluent chain that configures it.
    [GeneratedRegex("""(?:var (?<var>\w+) = )?builder\.(?:AddProject|(?<platform>AddPlatformService))<[\w.]+>\("(?<name>[\w-]+)"(?<chain>[^;]*);""", RegexOptions.Singleline)]
    private static partial Regex ProjectDeclaration();

    [GeneratedRegex("""\.WithReference\((?<target>\w+)\)""")]
    private static partial Regex ReferenceCall();

    [GeneratedRegex(@"WithEnvironment\(""(?<key>[\w-]+)""")]
    private static partial Regex EnvironmentCall();

    [GeneratedRegex("""\.WithAspireDashboardUrl\("(?<key>[\w-]+)"\)""")]
    private static partial Regex DashboardUrlCall();

    [GeneratedRegex("""AsPlatformService\(this .*?\n    }""", RegexOptions.Singleline)]
    private static partial Regex PlatformServiceMethod();
}
