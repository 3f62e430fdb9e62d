using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Events.Domain;
using Platform.Events.Features.Registrations;
using Platform.Events.Persistence;
using Platform.ServiceDefaults.Auth;
using Platform.Testing;
using static Platform.Events.Tests.EventsServiceFixture;

namespace Platform.Events.Tests;

/// <summary>
/// The registration desk serves everyone waiting for an event in one transaction. These tests hold the event's row
/// lock from outside, so the first registration's turn stops at the lock and the next ones line up behind it; when
/// the lock is released they are served together in one turn.
/// </summary>
public sealed class RegistrationDeskTests(EventsServiceFixture fixture) : IClassFixture<EventsServiceFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private RegistrationDesk Desk => fixture.Service.Services.GetRequiredService<RegistrationDesk>();

    [Fact]
    public async Task The_same_address_twice_in_one_turn_gets_one_registration_and_both_answers_point_to_it()
    {
        var consortium = await fixture.NewConsortiumAsync();
        var eventId = await fixture.PlanEventAsync(consortium, capacity: 10);
        using var enterprise = fixture.Service.ClientWithKey(await fixture.Service.IssuePartnerKeyAsync(consortium.Enterprise, "events:write"));

        Task<HttpResponseMessage> first, twice, again, byAnother;
        await using (await HoldEventAsync(eventId))
        {
            first = Post(fixture.Operator, eventId, consortium.College, "dean@sdlvtc.edu.cn");
            await TurnWaitsForLockAsync();
            twice = Post(fixture.Operator, eventId, consortium.College, "zhang.wei@sdlvtc.edu.cn");
            await InLineAsync(eventId, 1);
            again = Post(fixture.Operator, eventId, consortium.College, "  Zhang.Wei@SDLVTC.edu.cn ");
            await InLineAsync(eventId, 2);
            // Another organization's system cannot take over the address, even in the same turn.
            byAnother = Post(enterprise, eventId, consortium.Enterprise, "zhang.wei@sdlvtc.edu.cn");
            await InLineAsync(eventId, 3);
        }

        using var firstAnswer = await first;
        using var twiceAnswer = await twice;
        using var againAnswer = await again;
        using var byAnotherAnswer = await byAnother;
        Assert.Equal(HttpStatusCode.Created, firstAnswer.StatusCode);
        Assert.Equal(HttpStatusCode.Created, twiceAnswer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, againAnswer.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, byAnotherAnswer.StatusCode);
        var registered = await ReadAsync(twiceAnswer);
        var repeated = await ReadAsync(againAnswer);
        Assert.Equal(Id(registered), Id(repeated));
        Assert.Equal(2, registered.GetProperty("arrival").GetInt32());
        Assert.Equal(2, repeated.GetProperty("arrival").GetInt32());
        Assert.Equal("registered", repeated.GetProperty("status").GetString());

        var read = await GetJsonAsync(fixture.Operator, $"/api/v1/events/{eventId}");
        Assert.Equal(2, read.GetProperty("registered").GetInt32());
        var list = await GetJsonAsync(fixture.Operator, $"/api/v1/events/{eventId}/registrations");
        Assert.Equal(["dean@sdlvtc.edu.cn", "zhang.wei@sdlvtc.edu.cn"], list.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("email").GetString()).Order());
    }

    [Fact]
    public async Task Registrations_racing_the_close_of_registration_each_get_a_registration_or_a_409_and_the_counts_agree()
    {
        var consortium = await fixture.NewConsortiumAsync();
        var eventId = await fixture.PlanEventAsync(consortium, capacity: 5);

        Task<HttpResponseMessage> first, close;
        List<Task<HttpResponseMessage>> racing;
        await using (await HoldEventAsync(eventId))
        {
            first = Post(fixture.Operator, eventId, consortium.College, "first@sdlvtc.edu.cn");
            await TurnWaitsForLockAsync();
            // One turn mixing new people with a repeat of the first (which stays 200 even once registration closed).
            racing = [.. Enumerable.Range(0, 20).Select(i => Post(fixture.Operator, eventId, consortium.College, $"trainee{i}@sdlvtc.edu.cn"))];
            await InLineAsync(eventId, 20);
            racing.Add(Post(fixture.Operator, eventId, consortium.College, "FIRST@sdlvtc.edu.cn"));
            await InLineAsync(eventId, 21);
            close = fixture.Operator.PostAsync(new Uri($"/api/v1/events/{eventId}/close-registration", UriKind.Relative), null, Cancel);
            await TurnWaitsForLockAsync(2);
        }

        using var firstAnswer = await first;
        Assert.Equal(HttpStatusCode.Created, firstAnswer.StatusCode);
        var firstRegistration = await ReadAsync(firstAnswer);
        var firstId = Id(firstRegistration);
        using var closed = await close;
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        var answers = await Task.WhenAll(racing);
        try
        {
            Assert.All(answers, a => Assert.Contains(a.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.Conflict }));
            Assert.Equal(HttpStatusCode.OK, answers[^1].StatusCode);
            Assert.Equal(firstId, Id(await ReadAsync(answers[^1])));
            foreach (var refused in answers.Where(a => a.StatusCode == HttpStatusCode.Conflict))
                Assert.Equal("registrationClosed", (await ReadAsync(refused)).GetProperty("currentState").GetProperty("status").GetString());

            // Whoever got 201 is counted, nobody else; arrivals have no gaps.
            var made = new List<JsonElement> { firstRegistration };
            foreach (var created in answers.Where(a => a.StatusCode == HttpStatusCode.Created)) made.Add(await ReadAsync(created));
            var read = await GetJsonAsync(fixture.Operator, $"/api/v1/events/{eventId}");
            Assert.Equal(made.Count, read.GetProperty("registered").GetInt32() + read.GetProperty("waitlisted").GetInt32());
            Assert.Equal(Math.Min(made.Count, 5), read.GetProperty("registered").GetInt32());
            Assert.Equal(Enumerable.Range(1, made.Count), made.Select(r => r.GetProperty("arrival").GetInt32()).Order());
        }
        finally
        {
            foreach (var answer in answers) answer.Dispose();
        }

        // After the close has answered, nobody new gets in.
        using var late = await Post(fixture.Operator, eventId, consortium.College, "late@sdlvtc.edu.cn");
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
    }

    [Fact]
    public async Task A_request_cancelled_while_waiting_in_line_registers_nobody_and_one_cancelled_during_its_turn_stays_registered_once()
    {
        var consortium = await fixture.NewConsortiumAsync();
        var eventId = await fixture.PlanEventAsync(consortium, capacity: 5);
        var people = Enumerable.Range(0, 10).Select(i => $"trainee{i}@sdlvtc.edu.cn").ToArray();
        using var firstGivesUp = new CancellationTokenSource();
        var givingUp = people.Select(_ => new CancellationTokenSource()).ToArray();

        Task<HttpResponseMessage> first;
        Task<HttpResponseMessage>[] waiting;
        await using (await HoldEventAsync(eventId))
        {
            first = Post(fixture.Operator, eventId, consortium.College, "first@sdlvtc.edu.cn", firstGivesUp.Token);
            await TurnWaitsForLockAsync();
            waiting = [.. people.Select((email, i) => Post(fixture.Operator, eventId, consortium.College, email, givingUp[i].Token))];
            await InLineAsync(eventId, 10);

            // The first is already in its turn: giving up does not undo it. Odd ones give up while still in line.
            await firstGivesUp.CancelAsync();
            for (var i = 1; i < people.Length; i += 2) await givingUp[i].CancelAsync();
            await InLineAsync(eventId, 5);
        }

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        for (var i = 0; i < people.Length; i++)
        {
            if (i % 2 == 1)
            {
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting[i]);
                continue;
            }
            using var answer = await waiting[i];
            Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
        }

        // The first and the five who waited are registered, in arrival order without gaps; those who gave up in line are not.
        var list = (await GetJsonAsync(fixture.Operator, $"/api/v1/events/{eventId}/registrations?limit=100")).GetProperty("items").EnumerateArray().ToList();
        // (The five reached the line in whatever order their requests arrived.)
        Assert.Equal(people.Where((_, i) => i % 2 == 0).Append("first@sdlvtc.edu.cn").Order(), list.Select(r => r.GetProperty("email").GetString()).Order());
        Assert.Equal("first@sdlvtc.edu.cn", list.Single(r => r.GetProperty("arrival").GetInt32() == 1).GetProperty("email").GetString());
        Assert.Equal(Enumerable.Range(1, 6), list.Select(r => r.GetProperty("arrival").GetInt32()).Order());

        // Everyone tries again: the registered get their registration (200), the others register now (201).
        using var firstAgain = await Post(fixture.Operator, eventId, consortium.College, "first@sdlvtc.edu.cn");
        Assert.Equal(HttpStatusCode.OK, firstAgain.StatusCode);
        Assert.Equal(1, (await ReadAsync(firstAgain)).GetProperty("arrival").GetInt32());
        for (var i = 0; i < people.Length; i++)
        {
            using var again = await Post(fixture.Operator, eventId, consortium.College, people[i]);
            Assert.Equal(i % 2 == 0 ? HttpStatusCode.OK : HttpStatusCode.Created, again.StatusCode);
        }
        var read = await GetJsonAsync(fixture.Operator, $"/api/v1/events/{eventId}");
        Assert.Equal(5, read.GetProperty("registered").GetInt32());
        Assert.Equal(6, read.GetProperty("waitlisted").GetInt32());
        foreach (var source in givingUp) source.Dispose();
    }

    [Fact]
    public async Task A_person_of_an_unknown_organization_in_a_turn_gets_a_400_naming_the_field_and_the_others_of_the_turn_are_registered()
    {
        var consortium = await fixture.NewConsortiumAsync();
        var eventId = await fixture.PlanEventAsync(consortium, capacity: 10);
        var unknown = Guid.CreateVersion7();

        Task<HttpResponseMessage> first, stranger, second;
        await using (await HoldEventAsync(eventId))
        {
            first = Post(fixture.Operator, eventId, consortium.College, "first@sdlvtc.edu.cn");
            await TurnWaitsForLockAsync();
            stranger = Post(fixture.Operator, eventId, unknown, "stranger@example.cn");
            await InLineAsync(eventId, 1);
            second = Post(fixture.Operator, eventId, consortium.Enterprise, "second@weichai.com");
            await InLineAsync(eventId, 2);
        }

        using var firstAnswer = await first;
        using var strangerAnswer = await stranger;
        using var secondAnswer = await second;
        Assert.Equal(HttpStatusCode.Created, firstAnswer.StatusCode);
        Assert.Equal(HttpStatusCode.Created, secondAnswer.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, strangerAnswer.StatusCode);
        var problem = await strangerAnswer.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Contains("not registered on the platform", problem.GetProperty("errors").GetProperty("organizationId")[0].GetString(), StringComparison.Ordinal);
        // The stranger took no seat and no place in the arrival order.
        Assert.Equal(2, (await ReadAsync(secondAnswer)).GetProperty("arrival").GetInt32());
        Assert.Equal(2, (await GetJsonAsync(fixture.Operator, $"/api/v1/events/{eventId}")).GetProperty("registered").GetInt32());

        // The organization is checked before the event: an unknown organization for an unknown event is still a 400.
        using var nowhere = await Post(fixture.Operator, Guid.CreateVersion7(), unknown, "stranger@example.cn");
        Assert.Equal(HttpStatusCode.BadRequest, nowhere.StatusCode);
    }

    [Fact]
    public async Task A_desk_that_closes_turns_away_whoever_is_still_in_line_with_503_and_finishes_the_turn_it_started()
    {
        var consortium = await fixture.NewConsortiumAsync();
        var eventId = await fixture.PlanEventAsync(consortium, capacity: 5);
        // A desk of its own (the service's stays open for the other tests), on the service's database.
        var desk = new RegistrationDesk(fixture.Service.Services.GetRequiredService<IServiceScopeFactory>(), TimeProvider.System, NullLogger<RegistrationDesk>.Instance);
        Registrant Person(string email) => new("Zhang Wei", null, consortium.College, email);

        Task<int> inTurn, inLine;
        Task closing;
        await using (await HoldEventAsync(eventId))
        {
            inTurn = StatusAsync(desk.RegisterAsync(eventId, Person("first@sdlvtc.edu.cn"), Caller.Operator, Cancel));
            await TurnWaitsForLockAsync();
            inLine = StatusAsync(desk.RegisterAsync(eventId, Person("second@sdlvtc.edu.cn"), Caller.Operator, Cancel));
            Assert.Equal(1, desk.WaitingFor(eventId));

            closing = desk.DisposeAsync().AsTask();
            Assert.Equal(503, await inLine);
            Assert.False(closing.IsCompleted, "the desk waits for the turn it started");
        }
        await closing;
        Assert.Equal(201, await inTurn);
        Assert.Equal(503, await StatusAsync(desk.RegisterAsync(eventId, Person("third@sdlvtc.edu.cn"), Caller.Operator, Cancel)));
        Assert.Equal(1, (await GetJsonAsync(fixture.Operator, $"/api/v1/events/{eventId}")).GetProperty("registered").GetInt32());

        // The desk answers in the feature's words; the endpoint's mapping gives the status code the client would see.
        static async Task<int> StatusAsync(Task<RegistrationAnswer> answer) =>
            RegistrationEndpoints.Respond(await answer).Result is IStatusCodeHttpResult { StatusCode: { } status } ? status : throw new InvalidOperationException("An answer without a status.");
    }

    [Fact]
    public async Task When_the_database_cannot_be_reached_everyone_in_the_turn_gets_a_503_instead_of_waiting()
    {
        // A desk whose database refuses connections (nothing listens on port 1).
        var services = new ServiceCollection();
        services.AddDbContext<EventsDbContext>(options => options.UseNpgsql("Host=127.0.0.1;Port=1;Database=events;Username=events;Password=events;Timeout=3"));
        await using var provider = services.BuildServiceProvider();
        await using var desk = new RegistrationDesk(provider.GetRequiredService<IServiceScopeFactory>(), TimeProvider.System, NullLogger<RegistrationDesk>.Instance);
        var eventId = Guid.CreateVersion7();

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            desk.RegisterAsync(eventId, new Registrant("Zhang Wei", null, Guid.CreateVersion7(), $"trainee{i}@sdlvtc.edu.cn"), Caller.Operator, Cancel)))
            .WaitAsync(TimeSpan.FromSeconds(30), Cancel);

        Assert.All(answers, a => Assert.Equal(503, Assert.IsType<ProblemHttpResult>(RegistrationEndpoints.Respond(a).Result).StatusCode));
        Assert.All(answers, a => Assert.Contains("Try again", ((ProblemHttpResult)RegistrationEndpoints.Respond(a).Result).ProblemDetails.Detail, StringComparison.Ordinal));
    }

    private static Task<HttpResponseMessage> Post(HttpClient client, Guid eventId, Guid organizationId, string email, CancellationToken? cancellationToken = null) =>
        client.PostAsJsonAsync($"/api/v1/events/{eventId}/registrations",
            new { personName = "Zhang Wei", organizationId, email }, cancellationToken ?? Cancel);

    /// <summary>Holds the event's row lock (as a turn on another instance would) until disposed.</summary>
    private async Task<IAsyncDisposable> HoldEventAsync(Guid eventId)
    {
        var scope = fixture.Service.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EventsDbContext>();
        var transaction = await db.Database.BeginTransactionAsync(Cancel);
        Assert.NotNull(await db.LockEventAsync(eventId, Cancel));
        return new HeldLock(scope, transaction);
    }

    /// <summary>Until <paramref name="count"/> transactions of the service's database wait for a lock (a turn stopped at the event's row).</summary>
    private async Task TurnWaitsForLockAsync(int count = 1) =>
        await ServiceUnderTest<Program>.EventuallyAsync(async () =>
        {
            await using var scope = fixture.Service.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<EventsDbContext>();
            var waiting = await db.Database.SqlQueryRaw<int>(
                "SELECT count(*)::int AS \"Value\" FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'").SingleAsync(Cancel);
            return waiting >= count;
        }, $"{count} transaction(s) wait for the event's row lock");

    private async Task InLineAsync(Guid eventId, int count) =>
        await ServiceUnderTest<Program>.EventuallyAsync(() => Task.FromResult(Desk.WaitingFor(eventId) == count), $"{count} registration(s) wait in line");

    private static Guid Id(JsonElement registration) => registration.GetProperty("id").GetGuid();

    private sealed class HeldLock(AsyncServiceScope scope, IDbContextTransaction transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await transaction.RollbackAsync();
            await transaction.DisposeAsync();
            await scope.DisposeAsync();
        }
    }
}
