using System.Text.RegularExpressions;
using Platform.Membership.Contracts;
using Platform.Membership.Domain;

namespace Platform.Membership.Tests;

/// <summary>Membership's rules stay plain .NET: the domain assembly may not lean on the web, database or messaging plumbing.</summary>
public sealed class ArchitectureTests
{
    private static readonly string[] Forbidden =
        ["Microsoft.EntityFrameworkCore", "Microsoft.AspNetCore", "MassTransit", "Npgsql", "Platform.ServiceDefaults"];

    [Fact]
    public void The_domain_references_no_EF_Core_ASP_NET_Core_MassTransit_Npgsql_or_ServiceDefaults()
    {
        var domain = typeof(Platform.Membership.Domain.Membership).Assembly;
        Assert.Equal("Platform.Membership.Domain", domain.GetName().Name);

        var offending = domain.GetReferencedAssemblies()
            .Select(reference => reference.Name ?? "")
            .Where(name => Forbidden.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)))
            .ToList();

        Assert.Empty(offending);
    }

    [Fact]
    public void Every_domain_type_lives_in_the_domain_assembly()
    {
        // The service assembly holds no Platform.Membership.Domain type: a rule moved back beside a handler would slip past the check above.
        var service = typeof(Persistence.MembershipDbContext).Assembly;
        var strays = service.GetTypes().Where(t => t.Namespace == typeof(CouncilSession).Namespace).Select(t => t.FullName).ToList();

        Assert.Empty(strays);
    }

    /// <summary>The events a council session's or a membership's change becomes: built by that aggregate's announcements only.</summary>
    private static readonly Dictionary<Type, string> AnnouncedBy = new()
    {
        [typeof(CouncilSessionOpened)] = "CouncilAnnouncements.cs", [typeof(CouncilRoleAssigned)] = "CouncilAnnouncements.cs",
        [typeof(CouncilRoleRevoked)] = "CouncilAnnouncements.cs", [typeof(MembershipApplied)] = "MembershipAnnouncements.cs",
        [typeof(MembershipActivated)] = "MembershipAnnouncements.cs", [typeof(MembershipRejected)] = "MembershipAnnouncements.cs",
        [typeof(MembershipSuspended)] = "MembershipAnnouncements.cs", [typeof(MembershipReinstated)] = "MembershipAnnouncements.cs",
        [typeof(MembershipWithdrawn)] = "MembershipAnnouncements.cs",
    };

    [Fact]
    public void Each_integration_event_is_built_in_one_place_and_aggregate_events_only_by_their_announcements()
    {
        // Read from the sources: "new CouncilRoleRevoked" and "CouncilRoleRevoked Revoked(...) => new()" both build one.
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Platform.sln"))) root = root.Parent;
        Assert.NotNull(root);
        var service = Path.Combine(root.FullName, "services", "Membership", "Platform.Membership");
        var sources = Directory.EnumerateFiles(service, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetRelativePath(service, f), File.ReadAllText);
        var events = typeof(CouncilRoleRevoked).Assembly.GetExportedTypes()
            .Where(t => t.Namespace == typeof(CouncilRoleRevoked).Namespace && t.GetProperty("OccurredAt") is not null).ToList();
        Assert.Superset(AnnouncedBy.Keys.ToHashSet(), events.ToHashSet());

        var misplaced = new List<string>();
        foreach (var type in events)
        {
            var builds = new Regex($@"\bnew\s+{type.Name}\b|\b{type.Name}\s+\w+(\([^)]*\))?\s*(=>|=)\s*new\s*\(");
            var builders = sources.Where(s => builds.IsMatch(s.Value)).Select(s => s.Key).ToList();
            if (builders.Count > 1) misplaced.Add($"{type.Name} is built in {string.Join(", ", builders)}");
            if (AnnouncedBy.TryGetValue(type, out var announcements) && builders.Any(b => Path.GetFileName(b) != announcements))
                misplaced.Add($"{type.Name} is built outside {announcements}: {string.Join(", ", builders)}");
            if (AnnouncedBy.ContainsKey(type) && builders.Count == 0) misplaced.Add($"{type.Name} is built nowhere the test can see");
        }

        Assert.Empty(misplaced);
    }
}
