using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Platform.ServiceDefaults.Resilience;
using Polly;

namespace Platform.TalentPipeline.Features.Placements;

/// <summary>
/// Accepts a submission of placement events in one transaction: checks rights (<see cref="PlacementRights"/>), tells
/// resends and conflicts apart, then runs the steps of <see cref="PlacementStore"/> (lock the batch's trainees in key
/// order, insert the new events, read the touched histories), applies <see cref="PlacementBatch.Derive"/> and writes
/// its changes, and adds <see cref="PlacementAnnouncements"/> to the outbox — all committed together.
/// </summary>
public sealed class PlacementIngestion(TalentPipelineDbContext db, TimeProvider time)
{
    public async Task<IReadOnlyList<PlacementResult>> IngestAsync(IReadOnlyList<PlacementCandidate> candidates, Caller caller, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var results = new PlacementResult?[candidates.Count];
        var programs = await LoadProgramsAsync(candidates, cancellationToken);
        var members = await LoadMembersAsync(candidates, programs, cancellationToken);

        var organizations = await LoadKnownOrganizationsAsync(candidates, cancellationToken);

        foreach (var c in candidates.Where(c => c.IsValid))
        {
            CheckRights(c, caller, programs, members, now);
            // A reference that must exist: an enterprise the platform knows (any organization membership announced).
            if (c.EnterpriseId is { } enterprise && !organizations.Contains(enterprise))
                c.Reject("enterpriseId", "Unknown organization: not registered on the platform.");
        }

        // Within one submission the first copy of an eventId counts; later copies are resends or conflicts of it.
        var first = new Dictionary<(Guid, string), PlacementCandidate>();
        var pending = new List<PlacementCandidate>();
        foreach (var c in candidates)
        {
            if (!c.IsValid)
            {
                results[c.Index] = c.Result(PlacementOutcome.Rejected);
                continue;
            }
            if (first.TryGetValue((c.CollegeId, c.EventId!), out var earlier))
            {
                results[c.Index] = SameContent(ToEvent(earlier, null), c) ? c.Result(PlacementOutcome.Duplicate) : Conflict(c);
                continue;
            }
            first[(c.CollegeId, c.EventId!)] = c;
            pending.Add(c);
        }

        if (pending.Count > 0)
        {
            // Locks are taken in one order, so deadlocks should not happen; if PostgreSQL still picks this batch as a
            // deadlock or serialization victim, nothing was committed and the whole batch runs again.
            await DeadlockVictim.RunAsync(async ct =>
            {
                db.ChangeTracker.Clear();
                foreach (var c in pending) results[c.Index] = null;
                await IngestValidAsync(pending, programs, results, now, ct);
            }, () =>
            {
                foreach (var c in pending) c.Reasons.RemoveAll(r => r.Message.StartsWith("Conflict:", StringComparison.Ordinal));
            }, cancellationToken);
        }
        return [.. results.Select(r => r!)];
    }

    private static readonly ResiliencePipeline DeadlockVictim = Retries.Define(3, exception =>
        (exception as PostgresException ?? exception.InnerException as PostgresException)?.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure);

    private static PlacementResult Conflict(PlacementCandidate c)
    {
        c.Reject("eventId", "Conflict: this eventId was already used for an event with different content. Send a new eventId for a new event.");
        return c.Result(PlacementOutcome.Rejected);
    }

    private static bool SameContent(PlacementEvent stored, PlacementCandidate c) => stored.SameContentAs(c.ProgramId, c.TraineeRef, c.Type, c.OccurredAt, c.EnterpriseId);

    private static PlacementEvent ToEvent(PlacementCandidate c, CooperationProgram? program) => new()
    {
        CollegeId = c.CollegeId, EventId = c.EventId!, ProgramId = c.ProgramId, ConsortiumId = program?.ConsortiumId ?? Guid.Empty,
        TraineeRef = c.TraineeRef, Type = c.Type, OccurredAt = c.OccurredAt, EnterpriseId = c.EnterpriseId,
    };

    private async Task<Dictionary<Guid, CooperationProgram>> LoadProgramsAsync(IReadOnlyList<PlacementCandidate> candidates, CancellationToken cancellationToken)
    {
        var ids = candidates.Where(c => c.IsValid).Select(c => c.ProgramId).Distinct().ToList();
        return await db.Programs.AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
    }

    private async Task<HashSet<Guid>> LoadKnownOrganizationsAsync(IReadOnlyList<PlacementCandidate> candidates, CancellationToken cancellationToken)
    {
        var ids = candidates.Where(c => c.IsValid && c.EnterpriseId is not null).Select(c => c.EnterpriseId!.Value).Distinct().ToList();
        if (ids.Count == 0) return [];
        var known = await db.Organizations.Where(o => ids.Contains(o.Id)).Select(o => o.Id)
            .Union(db.Members.Where(m => ids.Contains(m.OrganizationId)).Select(m => m.OrganizationId))
            .ToListAsync(cancellationToken);
        return [.. known];
    }

    private async Task<Dictionary<(Guid, Guid), Member>> LoadMembersAsync(IReadOnlyList<PlacementCandidate> candidates,
        Dictionary<Guid, CooperationProgram> programs, CancellationToken cancellationToken)
    {
        var organizations = candidates.Where(c => c.IsValid).Select(c => c.CollegeId)
            .Concat(programs.Values.SelectMany(p => p.Parties)).Distinct().ToList();
        var consortia = programs.Values.Select(p => p.ConsortiumId).Distinct().ToList();
        var members = await db.Members.AsNoTracking()
            .Where(m => consortia.Contains(m.ConsortiumId) && organizations.Contains(m.OrganizationId)).ToListAsync(cancellationToken);
        return members.ToDictionary(m => (m.ConsortiumId, m.OrganizationId));
    }

    private static void CheckRights(PlacementCandidate c, Caller caller, Dictionary<Guid, CooperationProgram> programs,
        Dictionary<(Guid, Guid), Member> members, DateTimeOffset now)
    {
        if (!caller.CanActFor(c.CollegeId))
        {
            c.Reject("collegeId", "A college's key pushes events only for its own organization.");
            return;
        }
        var refusals = PlacementRights.Check(c.CollegeId, c.OccurredAt, c.EnterpriseId, programs.GetValueOrDefault(c.ProgramId),
            (consortium, organization) => members.GetValueOrDefault((consortium, organization)), now);
        foreach (var refusal in refusals) c.Reject(refusal.Field, refusal.Message);
    }

    private async Task IngestValidAsync(List<PlacementCandidate> pending, Dictionary<Guid, CooperationProgram> programs, PlacementResult?[] results,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var store = new PlacementStore((NpgsqlConnection)db.Database.GetDbConnection(), (NpgsqlTransaction)transaction.GetDbTransaction());

            var trainees = pending.Select(c => (c.CollegeId, c.TraineeRef)).Distinct().ToList();
            var firstOf = pending.GroupBy(c => (c.CollegeId, c.TraineeRef)).ToDictionary(g => g.Key, g => g.First());
            await store.LockTraineesAsync([.. trainees.Select(t => firstOf[t]).Select(c => (c.CollegeId, c.TraineeRef, programs[c.ProgramId].ConsortiumId, c.ProgramId, c.Type, c.OccurredAt))],
                now, cancellationToken);

            // Resends and conflicts with events accepted earlier.
            var existing = await store.ReadExistingAsync([.. pending.Select(c => (c.CollegeId, c.EventId!))], cancellationToken);
            var fresh = new List<PlacementCandidate>();
            foreach (var c in pending)
            {
                if (existing.TryGetValue((c.CollegeId, c.EventId!), out var stored))
                    results[c.Index] = SameContent(stored, c) ? c.Result(PlacementOutcome.Duplicate) : Conflict(c);
                else fresh.Add(c);
            }

            var inserted = await store.InsertAsync([.. fresh.Select(c => ToEvent(c, programs[c.ProgramId]))], now, cancellationToken);
            foreach (var c in fresh.Where(c => !inserted.Contains((c.CollegeId, c.EventId!))))
            {
                // Lost a race with a concurrent submission of the same eventId for another trainee: it is a conflict.
                results[c.Index] = Conflict(c);
            }
            var accepted = fresh.Where(c => inserted.Contains((c.CollegeId, c.EventId!))).ToList();
            if (accepted.Count > 0)
            {
                var histories = await store.ReadHistoriesAsync(trainees, cancellationToken);
                var outcome = PlacementBatch.Derive([.. accepted.Select(c => new AcceptedPlacement(c.CollegeId, c.TraineeRef, c.EventId!))], histories);
                await store.UpdateFlagsAsync(outcome.FlagChanges, cancellationToken);
                await store.UpdateTraineesAsync(outcome.Trainees, now, cancellationToken);
                await store.ApplyFunnelDeltasAsync(outcome.FunnelDeltas, cancellationToken);

                var announcements = new List<object>(accepted.Count + 16);
                foreach (var c in accepted)
                {
                    var (stage, flag) = outcome.PerEvent[(c.CollegeId, c.EventId!)];
                    results[c.Index] = c.Result(PlacementOutcome.Accepted, stage, flag);
                    PlacementAnnouncements.Announce(announcements, c, programs[c.ProgramId], stage, flag, now);
                }
                // One INSERT for the batch's outbox rows, in this transaction (not one tracked entity per event).
                await db.WriteIntegrationEventsAsync(announcements, cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
