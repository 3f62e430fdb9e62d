using System.Text.Json;
using System.Text.RegularExpressions;
using Platform.DemoData.Seeds;
using Platform.Testing;

namespace Platform.DemoData.Tests;

/// <summary>The stories' events, outcomes, programs and placements as the events and talent-pipeline APIs show them after loading (twice).</summary>
public sealed partial class EventsAndPipelineTests(StoriesPlatform platform) : IClassFixture<StoriesPlatform>
{
    [Fact]
    public void Loading_again_creates_nothing_and_says_what_was_already_there()
    {
        Assert.True(platform.FirstLoad.Created > 0);
        Assert.Equal(0, platform.SecondLoad.Created);
        Assert.Empty(platform.SecondLoad.Notes);
        Assert.Equal(platform.FirstLoad.Created + platform.FirstLoad.AlreadyThere, platform.SecondLoad.AlreadyThere);
        Assert.Contains("already there  event", platform.SecondOutput, StringComparison.Ordinal);
        Assert.Contains("already there  placements", platform.SecondOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("  created ", platform.SecondOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_events_API_lists_every_story_event_held_on_its_day_with_its_outcomes()
    {
        var byTitle = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var consortium in StoryConsortia.All)
        {
            var id = platform.FirstLoad.Consortia[consortium.Slug];
            foreach (var e in await StoriesPlatform.ListAsync(platform.Events, $"/api/v1/events?consortiumId={id}"))
                byTitle.Add(e.GetProperty("title").GetString()!, e);
        }
        Assert.Equal(StoryEvents.All.Select(e => e.Title).Order(StringComparer.Ordinal), byTitle.Keys.Order(StringComparer.Ordinal));
        foreach (var story in StoryEvents.All)
        {
            var listed = byTitle[story.Title];
            Assert.Equal("held", listed.GetProperty("status").GetString());
            Assert.Equal(story.StartsAt, listed.GetProperty("startsAt").GetDateTimeOffset());
        }

        var construction = await EventAsync(byTitle, StoryEvents.JinanConstructionMeeting.Title);
        var agreements = construction.GetProperty("outcomes").GetProperty("agreements").EnumerateArray().ToList();
        Assert.Equal(["Green Collar Vocational Skills Training Cooperation Project", "Intelligent welding order class", "Typical production practice project"],
            agreements.Select(a => a.GetProperty("title").GetString()!).Order(StringComparer.Ordinal));
        Assert.All(agreements, a => Assert.Equal("2023-11-14", a.GetProperty("signedOn").GetString()));
        Assert.Equal(4, construction.GetProperty("outcomes").GetProperty("unveilings").GetArrayLength());

        // The unveilings that name a base launch its program in talent-pipeline (PlaqueUnveiled), and events hears back.
        await ServiceUnderTest<Program>.EventuallyAsync(async () =>
        {
            var jining = await EventAsync(byTitle, StoryEvents.JiningTrainingBaseUnveiling.Title);
            var jinan = await EventAsync(byTitle, StoryEvents.JinanConstructionMeeting.Title);
            var states = jining.GetProperty("outcomes").GetProperty("unveilings").EnumerateArray()
                .Concat(jinan.GetProperty("outcomes").GetProperty("unveilings").EnumerateArray())
                .Where(u => u.GetProperty("kind").GetString() != "other").Select(u => u.GetProperty("state").GetString()).ToList();
            return states.Count == 6 && states.All(s => s == "applied");
        }, "the six base unveilings applied in talent-pipeline");

        var competition = await EventAsync(byTitle, StoryEvents.JiningECommerceCompetition.Title);
        var entrants = competition.GetProperty("outcomes").GetProperty("competitionResults").GetProperty("entrants").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(1, 8), entrants.Select(e => e.GetProperty("rank").GetInt32()));
        Assert.Contains("Jining Technician College", entrants.Select(e => e.GetProperty("collegeName").GetString()));
        Assert.All(entrants, e => Assert.Matches(IllustrativeTrainee(), e.GetProperty("traineeRef").GetString()!));
    }

    [Fact]
    public async Task Talent_pipeline_lists_the_programs_and_the_funnel_has_every_stage()
    {
        var jinan = platform.FirstLoad.Consortia[StoryConsortia.Jinan.Slug];
        var jining = platform.FirstLoad.Consortia[StoryConsortia.Jining.Slug];
        var jinanPrograms = await StoriesPlatform.ListAsync(platform.TalentPipeline, $"/api/v1/programs?consortiumId={jinan}");
        var jiningPrograms = await StoriesPlatform.ListAsync(platform.TalentPipeline, $"/api/v1/programs?consortiumId={jining}");

        Assert.Equal(
            [
                ("Green Collar Vocational Skills Training Cooperation Project", "skillsTrainingProject"),
                ("High-Skill Talent Training Base of Shandong Yingsheng Automotive Technology Co., Ltd.", "trainingBase"),
                ("Intelligent welding order class", "orderClass"),
                ("Open Regional Industry-Education Integration Practice Center", "trainingBase"),
                ("Teacher Practice Center of China National Petroleum Corporation Jinan Diesel Power Co., Ltd.", "teacherPracticeCenter"),
                ("Typical production practice project", "productionPracticeProject"),
            ],
            jinanPrograms.Select(p => (p.GetProperty("title").GetString()!, p.GetProperty("kind").GetString()!)).OrderBy(p => p.Item1, StringComparer.Ordinal));
        Assert.Equal(6, jiningPrograms.Count);
        Assert.Contains(jiningPrograms, p => p.GetProperty("kind").GetString() == "apprenticeship");
        Assert.All(jinanPrograms.Concat(jiningPrograms), p => Assert.Equal("active", p.GetProperty("status").GetString()));

        foreach (var consortium in new[] { jinan, jining })
        {
            var counts = (await StoriesPlatform.GetAsync(platform.TalentPipeline, $"/api/v1/kpis/funnel?consortiumId={consortium}")).GetProperty("counts");
            string[] stages = ["enrolled", "internshipStarted", "internshipCompleted", "offerMade", "offerAccepted", "employed", "retained6Months", "retained12Months", "withdrawn"];
            Assert.All(stages, stage => Assert.True(counts.GetProperty(stage).GetInt32() > 0, $"{stage} is empty in {counts}"));
            // A funnel narrows: fewer employed than enrolled, fewer retained a year than employed.
            Assert.True(counts.GetProperty("employed").GetInt32() < counts.GetProperty("enrolled").GetInt32());
            Assert.True(counts.GetProperty("retained12Months").GetInt32() < counts.GetProperty("employed").GetInt32());
        }
        Assert.Equal(20 + 15 + 12, (await StoriesPlatform.GetAsync(platform.TalentPipeline, $"/api/v1/kpis/funnel?consortiumId={jinan}"))
            .GetProperty("counts").GetProperty("enrolled").GetInt32());

        Assert.Equal(3, (await StoriesPlatform.ListAsync(platform.TalentPipeline, $"/api/v1/cohorts?consortiumId={jinan}")).Count);
        Assert.Equal(3, (await StoriesPlatform.ListAsync(platform.TalentPipeline, $"/api/v1/demands?consortiumId={jinan}")).Count);
    }

    [Fact]
    public async Task Every_trainee_is_an_illustrative_reference_never_a_person()
    {
        var college = platform.FirstLoad.Organizations[StoryOrganizations.ShandongLaborCollege.Slug];
        foreach (var placements in StoryPrograms.Placements)
        {
            Assert.Matches("^DEMO-[A-Z]{2}$", placements.Prefix);
            var first = $"{placements.Prefix}-001";
            Assert.Matches(IllustrativeTrainee(), first);
        }
        Assert.All(StoryEvents.All.SelectMany(e => e.CompetitionResults), e => Assert.Matches(IllustrativeTrainee(), e.TraineeRef));

        // The order class's trainees as the talent-pipeline keeps them.
        var trainee = await StoriesPlatform.GetAsync(platform.TalentPipeline, $"/api/v1/trainees/{college}/DEMO-BC-001");
        Assert.Equal("retained12Months", trainee.GetProperty("stage").GetString());
        var dropOut = await StoriesPlatform.GetAsync(platform.TalentPipeline, $"/api/v1/trainees/{college}/DEMO-BC-007");
        Assert.Equal("withdrawn", dropOut.GetProperty("stage").GetString());
    }

    private async Task<JsonElement> EventAsync(Dictionary<string, JsonElement> byTitle, string title) =>
        await StoriesPlatform.GetAsync(platform.Events, $"/api/v1/events/{byTitle[title].GetProperty("id").GetGuid()}");

    [GeneratedRegex("^DEMO-[A-Z]{2}-[0-9]{3}$")]
    private static partial Regex IllustrativeTrainee();
}
