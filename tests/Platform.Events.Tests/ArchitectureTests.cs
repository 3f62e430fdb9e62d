using System.Text.RegularExpressions;
using Platform.Events.Contracts;
using Platform.Events.Domain;

namespace Platform.Events.Tests;

/// <summary>The events rules stay plain .NET: the domain assembly may not reference persistence, HTTP or messaging.</summary>
public sealed class ArchitectureTests
{
    private static readonly string[] Forbidden =
        ["Microsoft.EntityFrameworkCore", "Microsoft.AspNetCore", "MassTransit", "Npgsql", "Platform.ServiceDefaults"];

    [Fact]
    public void The_domain_references_no_persistence_http_or_messaging_assembly()
    {
        var domain = typeof(ConsortiumEvent).Assembly;
        Assert.Equal("Platform.Events.Domain", domain.GetName().Name);

        var offending = domain.GetReferencedAssemblies()
            .Select(a => a.Name ?? "")
            .Where(name => Forbidden.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)))
            .ToList();

        Assert.Empty(offending);
    }

    [Fact]
    public void Every_domain_type_lives_in_the_domain_assembly()
    {
        // Moving a rule back into the service would compile; this catches it.
        var service = typeof(Program).Assembly;
        var strays = service.GetTypes().Where(t => t.Namespace == "Platform.Events.Domain").Select(t => t.FullName).ToList();
        Assert.Empty(strays);
    }

    /// <summary>The outcome events and their parts: built from what the domain recorded, by the outcomes' mapper only.</summary>
    private static readonly string[] OutcomeContracts =
    [
        nameof(AgreementSigned), nameof(AgreementParty), nameof(PlaqueUnveiled), nameof(CouncilDesignationsRecorded),
        nameof(CouncilDesignation), nameof(CompetitionResultsPublished), nameof(CompetitionEntrant), nameof(OutcomeRecorder),
    ];

    [Fact]
    public void Each_integration_event_is_built_in_one_place_and_lifecycle_events_only_by_their_mapper()
    {
        // A source check (reflection does not show where a type is constructed): the service's own C# files.
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Platform.sln"))) root = root.Parent;
        Assert.NotNull(root);
        var service = Path.Combine(root.FullName, "services", "Events", "Platform.Events");
        var sources = Directory.EnumerateFiles(service, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetRelativePath(service, f), File.ReadAllText);
        var contracts = typeof(ConsortiumEventScheduled).Assembly.GetExportedTypes().Where(t => t.Namespace == "Platform.Events.Contracts").Select(t => t.Name);

        foreach (var contract in contracts)
        {
            var builtIn = sources.Where(s => Regex.IsMatch(s.Value, $@"new {contract}\b(?!\s*\[)")).Select(s => s.Key).ToList();
            Assert.True(builtIn.Count <= 1, $"{contract} is built in {string.Join(", ", builtIn)}");
            if (contract.StartsWith("ConsortiumEvent", StringComparison.Ordinal) && builtIn.Count == 1)
                Assert.Equal(Path.Combine("Features", "Events", "ConsortiumEventAnnouncements.cs"), builtIn[0]);
            if (OutcomeContracts.Contains(contract))
                Assert.Equal([Path.Combine("Features", "Outcomes", "OutcomeAnnouncements.cs")], builtIn);
        }
    }
}
