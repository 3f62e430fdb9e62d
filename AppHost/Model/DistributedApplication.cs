using Platform.AppHost.CommandLine;
using Platform.AppHost.Running;

namespace Platform.AppHost.Model;

/// <summary>
/// The platform as resources — servers, databases, services — with the references that wire them together and
/// the waits that order their start (the shape of an Aspire AppHost). Declare them, then <see cref="RunAsync"/>.
/// </summary>
public sealed class DistributedApplication
{
    private readonly List<Resource> _resources = [];
    private readonly AppHostOptions _options;
    private readonly string? _problem;

    private DistributedApplication(AppHostOptions options, string repositoryRoot, string? problem)
    {
        _options = options;
        RepositoryRoot = repositoryRoot;
        _problem = problem;
    }

    /// <summary>The folder holding Platform.sln; service project folders are relative to it.</summary>
    public string RepositoryRoot { get; }

    public IReadOnlyList<Resource> Resources => _resources;

    /// <summary>Reads the command line and finds the repository; problems are reported by <see cref="RunAsync"/>.</summary>
    public static DistributedApplication Create(string[] args)
    {
        var root = Building.RepositoryRoot.Find(AppContext.BaseDirectory);
        var problem = root is null ? $"No {Building.RepositoryRoot.SolutionFile} found in '{AppContext.BaseDirectory}' or above: run the AppHost from the repository (dotnet run --project AppHost)." : null;
        try
        {
            return new DistributedApplication(AppHostOptions.Parse(args), root ?? AppContext.BaseDirectory, problem);
        }
        catch (CommandLineException e)
        {
            return new DistributedApplication(new AppHostOptions(), root ?? AppContext.BaseDirectory, $"{e.Message} Run with --help to see the options.");
        }
    }

    public PostgresResource AddPostgres(string name) => Add(new PostgresResource(name, this));

    public RabbitMqResource AddRabbitMq(string name) => Add(new RabbitMqResource(name));

    /// <param name="name">The service's name: its log prefix, OTEL_SERVICE_NAME, and NAME in <c>services__NAME__http__0</c>.</param>
    /// <param name="projectFolder">Relative to the repository root, e.g. <c>services/Membership/Platform.Membership</c>.</param>
    /// <param name="optional">Skip it (and references to it) while its folder does not exist.</param>
    public ServiceResource AddService(string name, string projectFolder, bool optional = false) =>
        Add(new ServiceResource(name, Path.GetFullPath(Path.Combine(RepositoryRoot, projectFolder)), optional));

    internal T Add<T>(T resource) where T : Resource
    {
        if (_resources.Any(r => r.Name == resource.Name))
            throw new ArgumentException($"There is already a resource named '{resource.Name}'.", nameof(resource));
        _resources.Add(resource);
        return resource;
    }

    /// <summary>Runs everything until Ctrl+C or SIGTERM; returns the process exit code (0 fine, 1 failed, 2 bad command line).</summary>
    public async Task<int> RunAsync()
    {
        if (_options.Help)
        {
            Console.WriteLine(AppHostOptions.Usage);
            return 0;
        }
        if (_problem is not null)
        {
            await Console.Error.WriteLineAsync(_problem);
            return 2;
        }
        return await new Orchestrator(_resources, _options, RepositoryRoot).RunAsync();
    }
}
