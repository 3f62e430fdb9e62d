using Npgsql;

namespace Platform.Events.Features.Registrations;

/// <summary>
/// Takes registrations for each event in turns, so one event is not limited to one registration per commit.
/// Seats and arrival order are decided under the event's row lock, and the lock is held through the commit's
/// WAL flush; one registration per lock hold made an event take at most one registration per flush. The desk
/// keeps a line per event in this process: whoever is waiting when the previous turn ends is served together in
/// one transaction (one lock, one SaveChanges, one commit), each getting the answer it would have got alone.
/// The row lock is still taken per turn, so several service instances stay correct (they simply take turns).
/// </summary>
public sealed partial class RegistrationDesk(IServiceScopeFactory scopes, TimeProvider time, ILogger<RegistrationDesk> logger) : IAsyncDisposable
{
    /// <summary>At most this many registrations per transaction, so one turn stays short.</summary>
    public const int MaxPerTurn = 200;

    private readonly Lock _gate = new();
    // The lines of events that have someone waiting or being served; an event's line disappears when it empties.
    private readonly Dictionary<Guid, Line> _lines = [];
    private bool _closed;

    /// <summary>
    /// Registers the person, or answers why not (a new registration, the address's existing one, or a refusal).
    /// Cancelling while still waiting in line withdraws the request; once its turn has started it is decided
    /// and committed regardless, so a retry with the same address finds it.
    /// </summary>
    public async Task<RegistrationAnswer> RegisterAsync(Guid eventId, Registrant person, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(person);
        ArgumentNullException.ThrowIfNull(caller);
        var waiting = new Waiting(person, caller);
        lock (_gate)
        {
            if (_closed) return ShuttingDown();
            if (!_lines.TryGetValue(eventId, out var line))
            {
                line = new Line();
                _lines.Add(eventId, line);
                line.People.Add(waiting);
                // The line is served until it is empty; it cannot take anyone before this lock is released. It outlives
                // the request that opened it, so it does not inherit that request's trace or log scope.
                using (ExecutionContext.SuppressFlow())
                    line.Serving = Task.Run(() => ServeLineAsync(eventId, line), CancellationToken.None);
            }
            else
            {
                line.People.Add(waiting);
            }
        }

        using var withdrawal = cancellationToken.Register(() => Withdraw(eventId, waiting, cancellationToken));
        return await waiting.Answer.Task;
    }

    /// <summary>How many registrations for the event are waiting in line (not yet in a turn).</summary>
    public int WaitingFor(Guid eventId)
    {
        lock (_gate) return _lines.TryGetValue(eventId, out var line) ? line.People.Count : 0;
    }

    /// <summary>Turns away everyone still in line (nothing saved); turns already started finish and answer their own.</summary>
    public async ValueTask DisposeAsync()
    {
        List<Waiting> turnedAway = [];
        List<Task> serving = [];
        lock (_gate)
        {
            _closed = true;
            foreach (var line in _lines.Values)
            {
                turnedAway.AddRange(line.People);
                line.People.Clear();
                serving.Add(line.Serving);
            }
        }
        foreach (var waiting in turnedAway) waiting.Answer.TrySetResult(ShuttingDown());
        await Task.WhenAll(serving);
    }

    private void Withdraw(Guid eventId, Waiting waiting, CancellationToken cancellationToken)
    {
        bool withdrawn;
        lock (_gate) withdrawn = _lines.TryGetValue(eventId, out var line) && line.People.Remove(waiting);
        // Not in line any more means its turn has started: it will be answered, and the answer stands.
        if (withdrawn) waiting.Answer.TrySetCanceled(cancellationToken);
    }

    private async Task ServeLineAsync(Guid eventId, Line line)
    {
        while (true)
        {
            List<Waiting> turn;
            lock (_gate)
            {
                if (line.People.Count == 0)
                {
                    _lines.Remove(eventId);
                    return;
                }
                var count = Math.Min(line.People.Count, MaxPerTurn);
                turn = line.People.GetRange(0, count);
                line.People.RemoveRange(0, count);
            }
            await ServeAsync(eventId, turn);
        }
    }

    /// <summary>Serves a turn in one transaction; if that fails, each one alone, so one bad registration cannot fail the others.</summary>
    private async Task ServeAsync(Guid eventId, List<Waiting> turn)
    {
        try
        {
            Answer(turn, await DecideAsync(eventId, turn));
            return;
        }
        catch (Exception exception) when (turn.Count > 1)
        {
            // Served again on their own. Safe even if the commit went through unseen (connection lost on the way back):
            // the addresses are then found registered and answered 200 with their registration.
            LogTurnFailed(logger, exception, eventId, turn.Count);
        }
        catch (Exception exception)
        {
            LogRegistrationFailed(logger, exception, eventId);
            turn[0].Answer.TrySetResult(NotSaved());
            return;
        }

        for (var i = 0; i < turn.Count; i++)
        {
            try
            {
                Answer([turn[i]], await DecideAsync(eventId, [turn[i]]));
            }
            catch (Exception exception)
            {
                LogRegistrationFailed(logger, exception, eventId);
                turn[i].Answer.TrySetResult(NotSaved());
                if (!IsDatabaseUnavailable(exception)) continue;
                // The database is failing, not this registration: the others are answered now instead of each
                // waiting out its own connection timeout.
                foreach (var waiting in turn.Skip(i + 1)) waiting.Answer.TrySetResult(NotSaved());
                return;
            }
        }
    }

    private static bool IsDatabaseUnavailable(Exception exception) =>
        exception is NpgsqlException { IsTransient: true } || (exception.InnerException is { } inner && IsDatabaseUnavailable(inner));

    private static void Answer(List<Waiting> turn, RegistrationAnswer[] answers)
    {
        for (var i = 0; i < turn.Count; i++) turn[i].Answer.TrySetResult(answers[i]);
    }

    /// <summary>
    /// The answers for a turn, in line order, committed before they are returned: each one exactly what a
    /// registration alone would get, with the earlier ones of the turn already counted.
    /// </summary>
    private async Task<RegistrationAnswer[]> DecideAsync(Guid eventId, List<Waiting> turn)
    {
        // Not the requests' cancellation: once a turn has started, every answer in it is decided.
        var cancellationToken = CancellationToken.None;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EventsDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // One turn at a time per event, also across service instances: seats and arrival order are decided under this lock.
        var found = await db.LockEventAsync(eventId, cancellationToken);
        var answers = new RegistrationAnswer[turn.Count];
        // A reference that must exist: the member directory knows every organization membership has announced. One
        // query for the whole turn; a person of an unknown organization gets that answer before any other.
        var knownOrganizations = (await db.OrganizationsAsync(turn.Select(w => w.Person.OrganizationId), cancellationToken)).Keys.ToHashSet();
        for (var i = 0; i < turn.Count; i++)
        {
            if (!knownOrganizations.Contains(turn[i].Person.OrganizationId)) answers[i] = new RegistrationAnswer.UnknownOrganization();
            else if (found is null) answers[i] = new RegistrationAnswer.EventNotFound();
        }
        if (found is null) return answers;
        var zone = ConsortiumTime.Zone(found.TimeZone);

        // The live registrations of the turn's addresses in one query; registrations made in this turn join them,
        // so the same address twice in one turn gets one registration.
        var emails = turn.Select(w => w.Email).Distinct(StringComparer.Ordinal).ToList();
        var known = await db.Registrations.AsNoTracking()
            .Where(r => r.EventId == eventId && emails.Contains(r.Email) && r.Status != RegistrationStatus.Cancelled)
            .ToDictionaryAsync(r => r.Email, StringComparer.Ordinal, cancellationToken);
        // Waitlist positions of the registrations made in this turn (not yet visible to a query).
        var madeNow = new Dictionary<Guid, int?>();

        for (var i = 0; i < turn.Count; i++)
        {
            if (answers[i] is not null) continue;
            var (person, caller, email) = (turn[i].Person, turn[i].Caller, turn[i].Email);
            if (known.TryGetValue(email, out var existing))
            {
                // Idempotent by address; the existing registration belongs to whoever registered it first.
                if (!caller.CanActFor(existing.OrganizationId) && !caller.CanActForAny(found.OrganizerIds))
                {
                    answers[i] = new RegistrationAnswer.TakenByAnotherOrganization();
                    continue;
                }
                var position = madeNow.TryGetValue(existing.Id, out var p) ? p
                    : await db.PositionAsync(existing, cancellationToken);
                answers[i] = new RegistrationAnswer.AlreadyMade(RegistrationResponse.From(existing, zone, position));
                continue;
            }
            if (!found.AcceptsRegistrations)
            {
                answers[i] = new RegistrationAnswer.NotOpen(EventState.Of(found));
                continue;
            }

            var registration = found.Register(Guid.CreateVersion7(), person, time.GetUtcNow());
            db.Registrations.Add(registration);
            known.Add(email, registration);
            var waitlistPosition = registration.Status == RegistrationStatus.Waitlisted ? found.WaitlistedCount : (int?)null;
            madeNow.Add(registration.Id, waitlistPosition);
            answers[i] = new RegistrationAnswer.Made(eventId, RegistrationResponse.From(registration, zone, waitlistPosition));
        }

        // Only a turn that registered someone commits; the others just release the lock.
        if (madeNow.Count > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        return answers;
    }

    private static RegistrationAnswer.NotSaved ShuttingDown() =>
        new("The service is shutting down; nothing was registered. Try again.");

    private static RegistrationAnswer.NotSaved NotSaved() =>
        new("The registration could not be saved. Try again: the same email address returns the registration if it was made.");

    [LoggerMessage(Level = LogLevel.Warning, Message = "A turn of {Count} registrations for event {EventId} failed; serving them one by one")]
    private static partial void LogTurnFailed(ILogger logger, Exception exception, Guid eventId, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "A registration for event {EventId} could not be saved")]
    private static partial void LogRegistrationFailed(ILogger logger, Exception exception, Guid eventId);

    /// <summary>The people waiting for one event, in arrival order, and the task serving them.</summary>
    private sealed class Line
    {
        public List<Waiting> People { get; } = [];
        public Task Serving { get; set; } = Task.CompletedTask;
    }

    private sealed class Waiting(Registrant person, Caller caller)
    {
        public Registrant Person { get; } = person;
        public Caller Caller { get; } = caller;
        public string Email { get; } = Registrant.NormalizeEmail(person.Email);
        // Answered from the line's task; the request continues on its own thread, never inside a turn.
        public TaskCompletionSource<RegistrationAnswer> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
