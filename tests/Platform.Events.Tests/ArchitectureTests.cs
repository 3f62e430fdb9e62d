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
}
