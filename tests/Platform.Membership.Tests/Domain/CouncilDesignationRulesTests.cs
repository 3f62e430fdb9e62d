using Platform.Membership.Domain;

namespace Platform.Membership.Tests.Domain;

public sealed class CouncilDesignationRulesTests
{
    [Fact]
    public void The_Jinan_first_council_session_designation_is_accepted()
    {
        // 3 chair, 19 vice-chair, 1 secretary-general and 6 council-member organizations.
        var designations = Enumerable.Range(0, 29).Select(i => new CouncilDesignation(Guid.CreateVersion7(), i switch
        {
            < 3 => CouncilRole.Chair,
            < 22 => CouncilRole.ViceChair,
            22 => CouncilRole.SecretaryGeneral,
            _ => CouncilRole.CouncilMember,
        })).ToList();
        var active = designations.Select(d => d.OrganizationId).ToHashSet();

        Assert.Empty(CouncilDesignationRules.Check(designations, active));
    }

    [Fact]
    public void Every_problem_in_a_bulk_designation_is_reported_with_its_position()
    {
        var member = Guid.CreateVersion7();
        var otherMember = Guid.CreateVersion7();
        var outsider = Guid.CreateVersion7();
        CouncilDesignation[] designations =
        [
            new(member, CouncilRole.SecretaryGeneral),
            new(outsider, CouncilRole.ViceChair),
            new(otherMember, CouncilRole.SecretaryGeneral),
            new(member, CouncilRole.Chair),
        ];

        var problems = CouncilDesignationRules.Check(designations, new HashSet<Guid> { member, otherMember });

        Assert.Collection(problems,
            p => Assert.Equal((1, outsider), (p.Index, p.OrganizationId)),
            p => { Assert.Equal(2, p.Index); Assert.Contains("secretary-general", p.Reason, StringComparison.Ordinal); },
            p => { Assert.Equal(3, p.Index); Assert.Contains("more than once", p.Reason, StringComparison.Ordinal); });
    }

    [Fact]
    public void A_session_must_end_after_it_starts()
    {
        Assert.Null(CouncilDesignationRules.CheckTerm(1, new DateOnly(2023, 11, 14), new DateOnly(2028, 11, 13)));
        Assert.NotNull(CouncilDesignationRules.CheckTerm(1, new DateOnly(2023, 11, 14), new DateOnly(2023, 11, 14)));
        Assert.NotNull(CouncilDesignationRules.CheckTerm(0, new DateOnly(2023, 11, 14), new DateOnly(2028, 11, 14)));
    }
}
