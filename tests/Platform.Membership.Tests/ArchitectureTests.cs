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
}
