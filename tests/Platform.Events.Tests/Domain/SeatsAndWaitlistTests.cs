using Platform.Events.Domain;

namespace Platform.Events.Tests.Domain;

/// <summary>Seats, waitlist, promotion and check-in as the event decides them: pure, no database.</summary>
public sealed class SeatsAndWaitlistTests
{
    private static readonly DateTimeOffset At = new(2025, 1, 15, 1, 0, 0, TimeSpan.Zero);
    private static readonly Guid Organizer = Guid.CreateVersion7();

    private static ConsortiumEvent OpenEvent(int capacity, EventKind kind = EventKind.Symposium)
    {
        var e = ConsortiumEvent.Plan(Guid.CreateVersion7(), Guid.CreateVersion7(), kind, "Welding symposium", "Jining",
            At.AddDays(30), At.AddDays(30).AddHours(3), KnownConsortium.DefaultTimeZone, capacity, [Organizer], At);
        Assert.NotNull(e.Perform(EventAction.Schedule, At, null));
        Assert.NotNull(e.Perform(EventAction.OpenRegistration, At, null));
        return e;
    }

    private static Registrant Person(int i) => new($"Trainee {i}", null, Guid.CreateVersion7(), $"  Trainee{i}@SDLVTC.edu.cn ");

    [Fact]
    public void Seats_go_in_arrival_order_and_the_rest_wait_numbered()
    {
        var e = OpenEvent(capacity: 2);
        var made = Enumerable.Range(1, 5).Select(i => e.Register(Guid.CreateVersion7(), Person(i), At)).ToList();

        Assert.Equal([1, 2, 3, 4, 5], made.Select(r => r.Arrival));
        Assert.Equal([RegistrationStatus.Registered, RegistrationStatus.Registered, RegistrationStatus.Waitlisted, RegistrationStatus.Waitlisted, RegistrationStatus.Waitlisted],
            made.Select(r => r.Status));
        Assert.Equal((2, 3, 5), (e.RegisteredCount, e.WaitlistedCount, e.Arrivals));
        Assert.Equal(At, made[0].SeatedAt);
        Assert.Null(made[2].SeatedAt);
        Assert.Equal("trainee1@sdlvtc.edu.cn", made[0].Email);
    }

    [Fact]
    public void A_freed_seat_goes_to_the_first_waitlisted()
    {
        var e = OpenEvent(capacity: 1);
        var seated = e.Register(Guid.CreateVersion7(), Person(1), At);
        var waiting = e.Register(Guid.CreateVersion7(), Person(2), At);

        var promoted = e.Cancel(seated, waiting, At.AddHours(1));

        Assert.Same(waiting, promoted);
        Assert.Equal(RegistrationStatus.Cancelled, seated.Status);
        Assert.Equal(RegistrationStatus.Registered, waiting.Status);
        Assert.Equal(At.AddHours(1), waiting.SeatedAt);
        Assert.Equal((1, 0), (e.RegisteredCount, e.WaitlistedCount));
    }

    [Fact]
    public void Cancelling_a_waitlisted_registration_frees_no_seat()
    {
        var e = OpenEvent(capacity: 1);
        e.Register(Guid.CreateVersion7(), Person(1), At);
        var second = e.Register(Guid.CreateVersion7(), Person(2), At);
        var third = e.Register(Guid.CreateVersion7(), Person(3), At);

        Assert.Null(e.Cancel(second, third, At));
        Assert.Equal(RegistrationStatus.Waitlisted, third.Status);
        Assert.Equal((1, 1), (e.RegisteredCount, e.WaitlistedCount));
    }

    [Fact]
    public void A_cancelled_checked_in_person_no_longer_counts_as_attending()
    {
        var e = OpenEvent(capacity: 2);
        var first = e.Register(Guid.CreateVersion7(), Person(1), At);
        Assert.Null(e.TryCheckIn(first, At));
        Assert.Equal(1, e.CheckedInCount);

        e.Cancel(first, null, At);

        Assert.Equal((0, 0), (e.CheckedInCount, e.RegisteredCount));
        Assert.Throws<InvalidOperationException>(() => e.Cancel(first, null, At));
    }

    [Fact]
    public void Check_in_is_once_and_for_seated_people_only()
    {
        var e = OpenEvent(capacity: 1);
        var seated = e.Register(Guid.CreateVersion7(), Person(1), At);
        var waiting = e.Register(Guid.CreateVersion7(), Person(2), At);

        Assert.NotNull(e.TryCheckIn(waiting, At));
        Assert.Null(e.TryCheckIn(seated, At));
        Assert.Equal("This person has already checked in.", e.TryCheckIn(seated, At));
        Assert.Equal(1, e.CheckedInCount);
    }

    [Fact]
    public void Registration_needs_an_open_event_and_changes_end_when_it_is_held()
    {
        var e = OpenEvent(capacity: 5);
        var seated = e.Register(Guid.CreateVersion7(), Person(1), At);
        var late = e.Register(Guid.CreateVersion7(), Person(3), At);
        Assert.NotNull(e.Perform(EventAction.CloseRegistration, At, null));

        Assert.Throws<InvalidOperationException>(() => e.Register(Guid.CreateVersion7(), Person(2), At));
        Assert.Null(e.TryCheckIn(seated, At));
        Assert.NotNull(e.Perform(EventAction.Hold, At, null));
        Assert.NotNull(e.TryCheckIn(late, At));
        Assert.Throws<InvalidOperationException>(() => e.Cancel(late, null, At));
    }

    [Fact]
    public void Held_is_reached_from_scheduled_or_closed_and_cancel_only_before_it()
    {
        Assert.Equal(EventStatus.Held, ConsortiumEvent.Target(EventStatus.Scheduled, EventAction.Hold));
        Assert.Null(ConsortiumEvent.Target(EventStatus.RegistrationOpen, EventAction.Hold));
        Assert.Null(ConsortiumEvent.Target(EventStatus.Held, EventAction.Cancel));

        var e = OpenEvent(capacity: 1);
        Assert.Equal([EventAction.CloseRegistration, EventAction.Cancel], e.AllowedActions);
        Assert.Null(e.Perform(EventAction.Schedule, At, null));
        Assert.NotNull(e.Perform(EventAction.Cancel, At, "Venue flooded"));
        Assert.Equal((EventStatus.Cancelled, "Venue flooded"), (e.Status, e.CancellationReason));
    }

    [Fact]
    public void A_plan_needs_a_seat_and_an_end_after_its_start()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ConsortiumEvent.Plan(Guid.CreateVersion7(), Guid.CreateVersion7(), EventKind.JobFair, "Fair", "Jining",
            At, At.AddHours(1), KnownConsortium.DefaultTimeZone, 0, [Organizer], At));
        Assert.Throws<ArgumentException>(() => ConsortiumEvent.Plan(Guid.CreateVersion7(), Guid.CreateVersion7(), EventKind.JobFair, "Fair", "Jining",
            At, At, KnownConsortium.DefaultTimeZone, 10, [Organizer], At));
    }
}
