using System.Text.RegularExpressions;
using Platform.TalentPipeline.Contracts;
using Platform.TalentPipeline.Domain;

namespace Platform.TalentPipeline.Tests;

/// <summary>The layers hold: the domain stays plain C#, and each integration event is built by one mapper only.</summary>
public sealed class ArchitectureTests
{
    private static readonly string[] Forbidden = ["Microsoft.EntityFrameworkCore", "Microsoft.AspNetCore", "MassTransit", "Npgsql", "Platform.ServiceDefaults"];

    [Fact]
    public void The_domain_references_no_persistence_web_or_messaging_assembly()
    {
        var references = typeof(CooperationProgram).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? "").ToList();
        var offending = references.Where(name => Forbidden.Any(f => name.StartsWith(f, StringComparison.Ordinal))).ToList();
        Assert.True(offending.Count == 0, $"Platform.TalentPipeline.Domain references {string.Join(", ", offending)}; rules must not depend on plumbing.");
    }

    [Fact]
    public void Each_integration_event_is_built_in_one_place()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Platform.sln"))) root = root.Parent;
        Assert.NotNull(root);
        var service = Path.Combine(root.FullName, "services", "TalentPipeline", "Platform.TalentPipeline");
        var sources = Directory.EnumerateFiles(service, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (File: Path.GetRelativePath(service, f), Text: File.ReadAllText(f))).ToList();
        var events = typeof(PlacementRecorded).Assembly.GetExportedTypes().Where(t => t.Namespace == typeof(PlacementRecorded).Namespace && !t.IsNested).ToList();
        Assert.NotEmpty(events);

        foreach (var type in events)
        {
            var construction = new Regex($@"\bnew\s+{type.Name}\b");
            var places = sources.Where(s => construction.IsMatch(s.Text)).Select(s => s.File).ToList();
            Assert.True(places.Count <= 1, $"{type.Name} is built in {string.Join(", ", places)}; build it in its aggregate's mapper only.");
        }
    }
}
