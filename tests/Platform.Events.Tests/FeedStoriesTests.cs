using Platform.Events.Contracts;
using Platform.Events.Features.Feed;
using Platform.Membership.Contracts;
using Platform.TalentPipeline.Contracts;

namespace Platform.Events.Tests;

/// <summary>
/// Every story the feed tells, in both languages, without a service: a template key missing from a resource file
/// would otherwise fail only in the consumer, as a message stuck in retries.
/// </summary>
public sealed class FeedStoriesTests
{
    private static readonly Guid Consortium = Guid.CreateVersion7();
    private static readonly Guid Event = Guid.CreateVersion7();
    private static readonly DateTimeOffset At = new(2024, 11, 14, 1, 30, 0, TimeSpan.Zero);

    public static TheoryData<string, string, string> Told() => new()
    {
        {
            nameof(ConsortiumEventScheduled), "Jinan construction meeting was scheduled",
            "Jinan construction meeting已排期|签约仪式，地点：Shandong Labor Vocational and Technical College，时间：2024年11月14日 09:30（UTC+08:00）。"
        },
        { nameof(ConsortiumEventHeld), "Jinan construction meeting was held|120 attendees checked in.", "Jinan construction meeting举行|120人签到。" },
        { nameof(ConsortiumEventCancelled), "Jinan construction meeting was cancelled|1 registrant was notified: weather", "Jinan construction meeting取消|已通知1位报名者：weather" },
        {
            nameof(AgreementSigned), "Shandong Labor Vocational and Technical College and Guoshun Group signed a strategic cooperation agreement",
            "Shandong Labor Vocational and Technical College和Guoshun Group签署战略合作协议|“Green Collar”，于2024年11月14日在Jinan construction meeting上签署。"
        },
        { nameof(PlaqueUnveiled), "Guoshun Group unveiled the plaque of Green Collar base|A training base at Guoshun Group, unveiled on 2024-11-14.", "Guoshun Group为“Green Collar base”揭牌|实训基地，设于Guoshun Group，于2024年11月14日揭牌。" },
        { nameof(CompetitionResultsPublished), "The results of E-commerce competition were published|2 entrants ranked. 1st: Jining Technician College, gold.", "E-commerce competition成绩公布|共2名选手获得名次。第一名：Jining Technician College，gold。" },
        { nameof(ProgramStatusChanged), "“Welding class” is now completed|The program went from active to completed: cohort graduated", "“Welding class”状态变为已完成|项目状态由进行中变为已完成：cohort graduated" },
        { nameof(CharterApproved), "The charter (version 2) was approved by the 1st council session", "第一届理事会审议通过章程（第2版）|于2024年11月14日审议通过。" },
        { nameof(MembershipSuspended), "Guoshun Group's membership was suspended", "Guoshun Group的成员资格被暂停|成员资格已暂停。" },
        { nameof(CouncilRoleRevoked), "Guoshun Group no longer serves as secretary general of the 12th council|The role ended: term ended.", "Guoshun Group不再担任第十二届理事会秘书长单位|职务终止：任期届满。" },
    };

    [Theory]
    [MemberData(nameof(Told))]
    public void Each_story_is_told_in_English_and_in_Chinese(string type, string english, string chinese)
    {
        var line = Assert.IsType<FeedLine>(FeedStories.Tell(Message(type)));
        Assert.Contains(english, $"{line.English.Title}|{line.English.Content}", StringComparison.Ordinal);
        Assert.Contains(chinese, $"{line.Chinese.Title}|{line.Chinese.Content}", StringComparison.Ordinal);
    }

    [Fact]
    public void A_Chinese_reader_reads_the_Chinese_names_the_message_carries_and_the_English_name_where_it_has_none()
    {
        var joined = new MembershipActivated
        {
            ConsortiumId = Consortium, MembershipId = Guid.CreateVersion7(), OrganizationId = Guid.CreateVersion7(),
            OrganizationName = "Shandong Labor Vocational and Technical College", OrganizationNameZh = "山东劳动职业技术学院",
            OrganizationKind = "vocationalCollege", OccurredAt = At,
        };
        var line = Assert.IsType<FeedLine>(FeedStories.Tell(joined));
        Assert.StartsWith("Shandong Labor Vocational and Technical College", line.English.Title, StringComparison.Ordinal);
        Assert.StartsWith("山东劳动职业技术学院", line.Chinese.Title, StringComparison.Ordinal);

        var unnamed = Assert.IsType<FeedLine>(FeedStories.Tell(joined with { OrganizationNameZh = null }));
        Assert.StartsWith("Shandong Labor Vocational and Technical College", unnamed.Chinese.Title, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_kept_source_type_is_told_in_both_languages()
    {
        // The feed's own list of what it tells: a type added there without a sample here fails.
        Assert.Empty(FeedStories.Sources.Keys.Except([.. Told().Select(row => row.Data.Item1), .. Covered]));
    }

    [Fact]
    public void A_day_of_placements_counts_in_each_language()
    {
        var (english, chinese) = FeedStories.PlacementDay("Welding class", new DateOnly(2024, 11, 14), new Dictionary<string, int> { ["employed"] = 1, ["enrolled"] = 3, ["rehired"] = 2 });
        Assert.Equal("Welding class: 6 placement milestones on 2024-11-14", english.Title);
        Assert.Equal("3 trainees enrolled; 1 trainee was employed; 2 trainees: rehired.", english.Content);
        Assert.Equal("Welding class：2024年11月14日新增6项培养就业进展", chinese.Title);
        Assert.Equal("3名学员入班；1名学员就业；2名学员：rehired。", chinese.Content);
    }

    // Told by the integration tests (FeedTests, FeedLanguageTests) through the service.
    private static readonly string[] Covered =
    [
        nameof(ConsortiumEstablished), nameof(MembershipActivated), nameof(MembershipReinstated), nameof(MembershipWithdrawn), nameof(CouncilSessionOpened),
        nameof(CouncilRoleAssigned), nameof(ProgramLaunched), nameof(PlacementRecorded),
    ];

    private static object Message(string type) => type switch
    {
        nameof(ConsortiumEventScheduled) => new ConsortiumEventScheduled
        {
            EventId = Event, ConsortiumId = Consortium, Kind = "signingCeremony", Title = "Jinan construction meeting", Venue = "Shandong Labor Vocational and Technical College",
            StartsAt = new DateTimeOffset(2024, 11, 14, 9, 30, 0, TimeSpan.FromHours(8)), EndsAt = new DateTimeOffset(2024, 11, 14, 12, 0, 0, TimeSpan.FromHours(8)), OrganizerIds = [], OccurredAt = At,
        },
        nameof(ConsortiumEventHeld) => new ConsortiumEventHeld { EventId = Event, ConsortiumId = Consortium, Kind = "signingCeremony", Title = "Jinan construction meeting", Attendees = 120, OccurredAt = At },
        nameof(ConsortiumEventCancelled) => new ConsortiumEventCancelled { EventId = Event, ConsortiumId = Consortium, Title = "Jinan construction meeting", Reason = "weather", RegistrantIds = [Guid.Empty], OccurredAt = At },
        nameof(AgreementSigned) => new AgreementSigned
        {
            AgreementId = Guid.CreateVersion7(), EventId = Event, EventTitle = "Jinan construction meeting", ConsortiumId = Consortium, Kind = "strategicCooperation", Title = "Green Collar",
            Parties =
            [
                new AgreementParty { OrganizationId = Guid.CreateVersion7(), OrganizationName = "Shandong Labor Vocational and Technical College", OrganizationKind = "vocationalCollege" },
                new AgreementParty { OrganizationId = Guid.CreateVersion7(), OrganizationName = "Guoshun Group", OrganizationKind = "enterprise" },
            ],
            SignedOn = new DateOnly(2024, 11, 14), OccurredAt = At,
        },
        nameof(PlaqueUnveiled) => new PlaqueUnveiled
        {
            UnveilingId = Guid.CreateVersion7(), EventId = Event, ConsortiumId = Consortium, Name = "Green Collar base", HostOrganizationId = Guid.CreateVersion7(),
            HostOrganizationName = "Guoshun Group", Kind = "trainingBase", UnveiledOn = new DateOnly(2024, 11, 14), OccurredAt = At,
        },
        nameof(CompetitionResultsPublished) => new CompetitionResultsPublished
        {
            ResultsId = Guid.CreateVersion7(), EventId = Event, EventTitle = "E-commerce competition", ConsortiumId = Consortium, OccurredAt = At,
            Entrants =
            [
                new CompetitionEntrant { TraineeRef = "T-2", CollegeId = Guid.Empty, CollegeName = "Shandong Labor Vocational and Technical College", Rank = 2 },
                new CompetitionEntrant { TraineeRef = "T-1", CollegeId = Guid.Empty, CollegeName = "Jining Technician College", Rank = 1, Award = "gold" },
            ],
        },
        nameof(ProgramStatusChanged) => new ProgramStatusChanged { ProgramId = Guid.CreateVersion7(), ConsortiumId = Consortium, Title = "Welding class", From = "active", To = "completed", Reason = "cohort graduated", OccurredAt = At },
        nameof(CharterApproved) => new CharterApproved { ConsortiumId = Consortium, CharterId = Guid.CreateVersion7(), Version = 2, ApprovedOn = new DateOnly(2024, 11, 14), ApprovedBySession = 1, OccurredAt = At },
        nameof(MembershipSuspended) => new MembershipSuspended { MembershipId = Guid.CreateVersion7(), ConsortiumId = Consortium, OrganizationId = Guid.CreateVersion7(), OrganizationName = "Guoshun Group", OccurredAt = At },
        nameof(CouncilRoleRevoked) => new CouncilRoleRevoked
        {
            ConsortiumId = Consortium, SessionNumber = 12, OrganizationId = Guid.CreateVersion7(), OrganizationName = "Guoshun Group", Role = "secretaryGeneral", Cause = "termEnded", OccurredAt = At,
        },
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "no sample message"),
    };
}
