using Platform.ServiceDefaults.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;
using Platform.ServiceDefaults.Auth;
using Platform.ServiceDefaults.Messaging;
using Platform.TalentPipeline.Contracts;
using Platform.TalentPipeline.Domain;
using Platform.TalentPipeline.Persistence;

namespace Platform.TalentPipeline.Features.Placements;

/// <summary>
/// Accepts a submission of placement events in one transaction with set-based SQL: a statement per step for the
/// whole batch, never one round trip per event. Steps: lock the batch's trainees (one upsert, in key order, so
/// concurrent batches cannot deadlock), tell resends and conflicts apart, insert the new events, re-derive each
/// touched trainee's stage and flags from its whole history, apply the funnel deltas, and add one PlacementRecorded
/// (plus TraineeEmployed) per accepted event to the outbox — all committed together.
/// </summary>
public sealed class PlacementIngestion(TalentPipelineDbContext db, TimeProvider time)
{
    /// <summary>Clock skew tolerated for occurredAt in the future.</summary>
    private static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(10);

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
                results[c.Index] = SameContent(earlier, c) ? c.Result(PlacementOutcome.Duplicate) : Conflict(c);
                continue;
            }
            first[(c.CollegeId, c.EventId!)] = c;
            pending.Add(c);
        }

        if (pending.Count > 0)
        {
            // Locks are taken in one order, so deadlocks should not happen; if PostgreSQL still picks this batch as a
            // deadlock or serialization victim, nothing was committed and the whole batch runs again.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    db.ChangeTracker.Clear();
                    foreach (var c in pending) results[c.Index] = null;
                    await IngestValidAsync(pending, programs, results, now, cancellationToken);
                    break;
                }
                catch (Exception exception) when (attempt < 3 && IsTransient(exception))
                {
                    foreach (var c in pending) c.Reasons.RemoveAll(r => r.Message.StartsWith("Conflict:", StringComparison.Ordinal));
                }
            }
        }
        return [.. results.Select(r => r!)];
    }

    private static bool IsTransient(Exception exception) =>
        (exception as PostgresException ?? exception.InnerException as PostgresException)?.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure;

    private static PlacementResult Conflict(PlacementCandidate c)
    {
        c.Reject("eventId", "Conflict: this eventId was already used for an event with different content. Send a new eventId for a new event.");
        return c.Result(PlacementOutcome.Rejected);
    }

    private static bool SameContent(PlacementCandidate a, PlacementCandidate b) =>
        a.ProgramId == b.ProgramId && a.TraineeRef == b.TraineeRef && a.Type == b.Type && a.OccurredAt == b.OccurredAt && a.EnterpriseId == b.EnterpriseId;

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
        if (c.OccurredAt > now + FutureTolerance) c.Reject("occurredAt", "In the future.");
        if (!programs.TryGetValue(c.ProgramId, out var program) || !program.CollegeIds.Contains(c.CollegeId))
        {
            c.Reject("programId", "The college is not a party to this program (or there is no such program).");
            return;
        }
        if (!members.TryGetValue((program.ConsortiumId, c.CollegeId), out var college) || !college.IsActive)
        {
            c.Reject("collegeId", college is null
                ? "The college is not a member of the program's consortium."
                : $"The college's membership of the consortium is {ApiEnum.Name(college.Status)}; its events are refused until it is active again.");
            return;
        }
        switch (program.Status)
        {
            case ProgramStatus.Draft:
                c.Reject("programId", "The program is still a draft; it takes events once launched.");
                break;
            case ProgramStatus.Cancelled:
                c.Reject("programId", "The program was cancelled.");
                break;
            case ProgramStatus.Paused:
                var names = program.PausedBy.Select(id => members.TryGetValue((program.ConsortiumId, id), out var m) ? m.Name : id.ToString());
                c.Reject("programId", $"The program is paused because {string.Join(", ", names)} is suspended; events are refused until reinstatement.");
                break;
        }
        if (c.EnterpriseId is { } enterprise && members.TryGetValue((program.ConsortiumId, enterprise), out var employer) && !employer.IsActive)
            c.Reject("enterpriseId", $"The enterprise's membership of the consortium is {ApiEnum.Name(employer.Status)}.");
    }

    private async Task IngestValidAsync(List<PlacementCandidate> pending, Dictionary<Guid, CooperationProgram> programs, PlacementResult?[] results,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            var tx = (NpgsqlTransaction)transaction.GetDbTransaction();

            var trainees = pending.Select(c => (c.CollegeId, c.TraineeRef)).Distinct().ToList();
            await LockTraineesAsync(connection, tx, trainees, pending, programs, now, cancellationToken);

            // Resends and conflicts with events accepted earlier.
            var existing = await ReadExistingAsync(connection, tx, pending, cancellationToken);
            var fresh = new List<PlacementCandidate>();
            foreach (var c in pending)
            {
                if (existing.TryGetValue((c.CollegeId, c.EventId!), out var stored))
                    results[c.Index] = stored.SameContentAs(c.ProgramId, c.TraineeRef, c.Type, c.OccurredAt, c.EnterpriseId) ? c.Result(PlacementOutcome.Duplicate) : Conflict(c);
                else fresh.Add(c);
            }

            var inserted = await InsertAsync(connection, tx, fresh, programs, now, cancellationToken);
            foreach (var c in fresh.Where(c => !inserted.Contains((c.CollegeId, c.EventId!))))
            {
                // Lost a race with a concurrent submission of the same eventId for another trainee: it is a conflict.
                results[c.Index] = Conflict(c);
            }
            var accepted = fresh.Where(c => inserted.Contains((c.CollegeId, c.EventId!))).ToList();
            if (accepted.Count > 0)
            {
                var histories = await ReadHistoriesAsync(connection, tx, trainees, cancellationToken);
                var outcome = Derive(accepted, histories);
                await UpdateFlagsAsync(connection, tx, outcome.FlagChanges, cancellationToken);
                await UpdateTraineesAsync(connection, tx, outcome.Trainees, now, cancellationToken);
                await ApplyFunnelDeltasAsync(connection, tx, outcome.FunnelDeltas, cancellationToken);

                var announcements = new List<object>(accepted.Count + 16);
                foreach (var c in accepted)
                {
                    var (stage, flag) = outcome.PerEvent[(c.CollegeId, c.EventId!)];
                    results[c.Index] = c.Result(PlacementOutcome.Accepted, stage, flag);
                    Announce(announcements, c, programs[c.ProgramId], stage, flag, now);
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

    private static void Announce(List<object> announcements, PlacementCandidate c, CooperationProgram program, PlacementType stage, PlacementFlag? flag, DateTimeOffset now)
    {
        announcements.Add(new PlacementRecorded
        {
            EventId = c.EventId!,
            CollegeId = c.CollegeId,
            ProgramId = c.ProgramId,
            ConsortiumId = program.ConsortiumId,
            ProgramTitle = program.Title,
            TraineeRef = c.TraineeRef,
            Type = ApiEnum.Name(c.Type),
            EnterpriseId = c.EnterpriseId,
            OccurredAt = c.OccurredAt,
            Stage = ApiEnum.Name(stage),
            Flagged = flag is not null,
            AcceptedAt = now,
        });
        if (c.Type == PlacementType.Employed)
        {
            announcements.Add(new TraineeEmployed
            {
                EventId = c.EventId!,
                CollegeId = c.CollegeId,
                ProgramId = c.ProgramId,
                ConsortiumId = program.ConsortiumId,
                ProgramTitle = program.Title,
                TraineeRef = c.TraineeRef,
                EnterpriseId = c.EnterpriseId,
                OccurredAt = c.OccurredAt,
            });
        }
    }

    /// <summary>
    /// Creates missing trainee rows, then locks all of the batch's trainees, each step in (college, ref) order: every
    /// batch takes its locks in the same order, so concurrent batches for the same trainees queue instead of deadlocking
    /// (a batch meeting another's uncommitted new trainee waits in the insert, before it holds any later lock).
    /// </summary>
    private static async Task LockTraineesAsync(NpgsqlConnection connection, NpgsqlTransaction tx, List<(Guid CollegeId, string TraineeRef)> trainees,
        List<PlacementCandidate> pending, Dictionary<Guid, CooperationProgram> programs, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var firstOf = pending.GroupBy(c => (c.CollegeId, c.TraineeRef)).ToDictionary(g => g.Key, g => g.First());
        var colleges = trainees.Select(t => t.CollegeId).ToArray();
        var refs = trainees.Select(t => t.TraineeRef).ToArray();
        await using var batch = new NpgsqlBatch(connection, tx);
        var insert = new NpgsqlBatchCommand("""
            INSERT INTO trainees (college_id, trainee_ref, consortium_id, program_id, stage, stage_occurred_at, events, updated_at)
            SELECT t.college_id, t.trainee_ref, t.consortium_id, t.program_id, t.stage, t.occurred_at, 0, $6
              FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::uuid[], $5::timestamptz[], $7::text[])
                   AS t(college_id, trainee_ref, consortium_id, program_id, occurred_at, stage)
             ORDER BY t.college_id, t.trainee_ref
            ON CONFLICT (college_id, trainee_ref) DO NOTHING
            """);
        insert.Parameters.Add(new NpgsqlParameter { Value = colleges });
        insert.Parameters.Add(new NpgsqlParameter { Value = refs });
        insert.Parameters.Add(new NpgsqlParameter { Value = trainees.Select(t => programs[firstOf[t].ProgramId].ConsortiumId).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = trainees.Select(t => firstOf[t].ProgramId).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = trainees.Select(t => firstOf[t].OccurredAt.UtcDateTime).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = now.UtcDateTime });
        insert.Parameters.Add(new NpgsqlParameter { Value = trainees.Select(t => firstOf[t].Type.ToString()).ToArray() });
        var lockAll = new NpgsqlBatchCommand("""
            SELECT 1 FROM trainees t
              JOIN unnest($1::uuid[], $2::text[]) AS k(college_id, trainee_ref) ON t.college_id = k.college_id AND t.trainee_ref = k.trainee_ref
             ORDER BY t.college_id, t.trainee_ref
               FOR UPDATE OF t
            """);
        lockAll.Parameters.Add(new NpgsqlParameter { Value = colleges });
        lockAll.Parameters.Add(new NpgsqlParameter { Value = refs });
        batch.BatchCommands.Add(insert);
        batch.BatchCommands.Add(lockAll);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<Dictionary<(Guid, string), PlacementEvent>> ReadExistingAsync(NpgsqlConnection connection, NpgsqlTransaction tx,
        List<PlacementCandidate> pending, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT e.college_id, e.event_id, e.program_id, e.trainee_ref, e.type, e.occurred_at, e.enterprise_id
              FROM placement_events e
              JOIN unnest($1::uuid[], $2::text[]) AS k(college_id, event_id) ON e.college_id = k.college_id AND e.event_id = k.event_id
            """, connection, tx);
        command.Parameters.Add(new NpgsqlParameter { Value = pending.Select(c => c.CollegeId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = pending.Select(c => c.EventId!).ToArray() });
        var existing = new Dictionary<(Guid, string), PlacementEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var stored = new PlacementEvent
            {
                CollegeId = reader.GetGuid(0),
                EventId = reader.GetString(1),
                ProgramId = reader.GetGuid(2),
                TraineeRef = reader.GetString(3),
                Type = Enum.Parse<PlacementType>(reader.GetString(4)),
                OccurredAt = reader.GetFieldValue<DateTimeOffset>(5),
                EnterpriseId = reader.IsDBNull(6) ? null : reader.GetGuid(6),
            };
            existing[(stored.CollegeId, stored.EventId)] = stored;
        }
        return existing;
    }

    private static async Task<HashSet<(Guid, string)>> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction tx, List<PlacementCandidate> fresh,
        Dictionary<Guid, CooperationProgram> programs, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var inserted = new HashSet<(Guid, string)>();
        if (fresh.Count == 0) return inserted;
        await using var command = new NpgsqlCommand("""
            INSERT INTO placement_events (college_id, event_id, program_id, consortium_id, trainee_ref, type, occurred_at, enterprise_id, flag, accepted_at)
            SELECT e.college_id, e.event_id, e.program_id, e.consortium_id, e.trainee_ref, e.type, e.occurred_at, e.enterprise_id, NULL, $9
              FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::timestamptz[], $8::uuid[])
                   AS e(college_id, event_id, program_id, consortium_id, trainee_ref, type, occurred_at, enterprise_id)
            ON CONFLICT (college_id, event_id) DO NOTHING
            RETURNING college_id, event_id
            """, connection, tx);
        command.Parameters.Add(new NpgsqlParameter { Value = fresh.Select(c => c.CollegeId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = fresh.Select(c => c.EventId!).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = fresh.Select(c => c.ProgramId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = fresh.Select(c => programs[c.ProgramId].ConsortiumId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = fresh.Select(c => c.TraineeRef).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = fresh.Select(c => c.Type.ToString()).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = fresh.Select(c => c.OccurredAt.UtcDateTime).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = fresh.Select(c => c.EnterpriseId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = now.UtcDateTime });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            inserted.Add((reader.GetGuid(0), reader.GetString(1)));
        return inserted;
    }

    private sealed record StoredEntry(HistoryEntry Entry, PlacementFlag? Flag);

    private static async Task<Dictionary<(Guid, string), List<StoredEntry>>> ReadHistoriesAsync(NpgsqlConnection connection, NpgsqlTransaction tx,
        List<(Guid CollegeId, string TraineeRef)> trainees, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT e.college_id, e.trainee_ref, e.event_id, e.type, e.occurred_at, e.program_id, e.consortium_id, e.enterprise_id, e.flag
              FROM placement_events e
              JOIN unnest($1::uuid[], $2::text[]) AS k(college_id, trainee_ref) ON e.college_id = k.college_id AND e.trainee_ref = k.trainee_ref
            """, connection, tx);
        command.Parameters.Add(new NpgsqlParameter { Value = trainees.Select(t => t.CollegeId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = trainees.Select(t => t.TraineeRef).ToArray() });
        var histories = new Dictionary<(Guid, string), List<StoredEntry>>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var key = (reader.GetGuid(0), reader.GetString(1));
            if (!histories.TryGetValue(key, out var list)) histories[key] = list = [];
            list.Add(new StoredEntry(
                new HistoryEntry(reader.GetString(2), Enum.Parse<PlacementType>(reader.GetString(3)), reader.GetFieldValue<DateTimeOffset>(4),
                    reader.GetGuid(5), reader.GetGuid(6), reader.IsDBNull(7) ? null : reader.GetGuid(7)),
                reader.IsDBNull(8) ? null : Enum.Parse<PlacementFlag>(reader.GetString(8))));
        }
        return histories;
    }

    private sealed record TraineeState(Guid CollegeId, string TraineeRef, Guid ConsortiumId, Guid ProgramId, PlacementType Stage, DateTimeOffset StageAt, int Events);

    private sealed record FunnelKey(Guid ConsortiumId, Guid ProgramId, Guid CollegeId, Guid EnterpriseId, DateOnly Month, FunnelStage Stage);

    private sealed record Derivation(
        Dictionary<(Guid, string), (PlacementType Stage, PlacementFlag? Flag)> PerEvent,
        List<(Guid CollegeId, string EventId, PlacementFlag? Flag)> FlagChanges,
        List<TraineeState> Trainees,
        Dictionary<FunnelKey, int> FunnelDeltas);

    /// <summary>The domain rules applied to each touched trainee's whole history, before and after this batch.</summary>
    private static Derivation Derive(List<PlacementCandidate> accepted, Dictionary<(Guid, string), List<StoredEntry>> histories)
    {
        var perEvent = new Dictionary<(Guid, string), (PlacementType, PlacementFlag?)>();
        var flagChanges = new List<(Guid, string, PlacementFlag?)>();
        var trainees = new List<TraineeState>();
        var deltas = new Dictionary<FunnelKey, int>();
        var newIds = accepted.Select(c => (c.CollegeId, c.EventId!)).ToHashSet();

        foreach (var group in accepted.GroupBy(c => (c.CollegeId, c.TraineeRef)))
        {
            var (collegeId, traineeRef) = group.Key;
            var all = histories[group.Key];
            var before = all.Where(s => !newIds.Contains((collegeId, s.Entry.EventId))).Select(s => s.Entry).ToList();
            var after = all.Select(s => s.Entry).ToList();

            foreach (var stored in all)
            {
                var flag = TraineeHistory.FlagOf(stored.Entry, after);
                if (flag != stored.Flag) flagChanges.Add((collegeId, stored.Entry.EventId, flag));
            }

            // The stage each event leaves the trainee at, in submission order (what its PlacementRecorded reports).
            var sofar = new List<HistoryEntry>(before);
            foreach (var c in group)
            {
                sofar.Add(after.First(e => e.EventId == c.EventId));
                perEvent[(collegeId, c.EventId!)] = (TraineeHistory.StageOf(sofar).Stage, TraineeHistory.FlagOf(sofar[^1], after));
            }

            var (stage, stageAt, stageEvent) = TraineeHistory.StageOf(after);
            trainees.Add(new TraineeState(collegeId, traineeRef, stageEvent.ConsortiumId, stageEvent.ProgramId, stage, stageAt, after.Count));

            foreach (var m in TraineeHistory.MilestonesOf(before)) Add(deltas, collegeId, m, -1);
            foreach (var m in TraineeHistory.MilestonesOf(after)) Add(deltas, collegeId, m, +1);
        }
        foreach (var zero in deltas.Where(d => d.Value == 0).Select(d => d.Key).ToList()) deltas.Remove(zero);
        return new Derivation(perEvent, flagChanges, trainees, deltas);
    }

    private static void Add(Dictionary<FunnelKey, int> deltas, Guid collegeId, Milestone m, int delta)
    {
        var key = new FunnelKey(m.ConsortiumId, m.ProgramId, collegeId, m.EnterpriseId ?? Guid.Empty, m.Month, m.Stage);
        deltas[key] = deltas.GetValueOrDefault(key) + delta;
    }

    private static async Task UpdateFlagsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, List<(Guid CollegeId, string EventId, PlacementFlag? Flag)> changes,
        CancellationToken cancellationToken)
    {
        if (changes.Count == 0) return;
        await using var command = new NpgsqlCommand("""
            UPDATE placement_events e SET flag = c.flag
              FROM unnest($1::uuid[], $2::text[], $3::text[]) AS c(college_id, event_id, flag)
             WHERE e.college_id = c.college_id AND e.event_id = c.event_id
            """, connection, tx);
        command.Parameters.Add(new NpgsqlParameter { Value = changes.Select(c => c.CollegeId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = changes.Select(c => c.EventId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = changes.Select(c => c.Flag?.ToString()).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task UpdateTraineesAsync(NpgsqlConnection connection, NpgsqlTransaction tx, List<TraineeState> trainees, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            UPDATE trainees t SET consortium_id = s.consortium_id, program_id = s.program_id, stage = s.stage, stage_occurred_at = s.stage_at,
                                  events = s.events, updated_at = $8
              FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::uuid[], $5::text[], $6::timestamptz[], $7::int[])
                   AS s(college_id, trainee_ref, consortium_id, program_id, stage, stage_at, events)
             WHERE t.college_id = s.college_id AND t.trainee_ref = s.trainee_ref
            """, connection, tx);
        command.Parameters.Add(new NpgsqlParameter { Value = trainees.Select(t => t.CollegeId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = trainees.Select(t => t.TraineeRef).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = trainees.Select(t => t.ConsortiumId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = trainees.Select(t => t.ProgramId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = trainees.Select(t => t.Stage.ToString()).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = trainees.Select(t => t.StageAt.UtcDateTime).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = trainees.Select(t => t.Events).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = now.UtcDateTime });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>One upsert for the batch's funnel deltas, in key order (concurrent batches touch shared rows in the same order).</summary>
    private static async Task ApplyFunnelDeltasAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Dictionary<FunnelKey, int> deltas, CancellationToken cancellationToken)
    {
        if (deltas.Count == 0) return;
        var rows = deltas.ToList();
        await using var command = new NpgsqlCommand("""
            INSERT INTO funnel_counts (consortium_id, program_id, college_id, enterprise_id, month, stage, trainees)
            SELECT d.consortium_id, d.program_id, d.college_id, d.enterprise_id, d.month, d.stage, d.delta
              FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::date[], $6::text[], $7::int[])
                   AS d(consortium_id, program_id, college_id, enterprise_id, month, stage, delta)
             ORDER BY 1, 2, 3, 4, 5, 6
            ON CONFLICT (consortium_id, program_id, college_id, enterprise_id, month, stage)
               DO UPDATE SET trainees = funnel_counts.trainees + excluded.trainees
            """, connection, tx);
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Key.ConsortiumId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Key.ProgramId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Key.CollegeId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Key.EnterpriseId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Key.Month).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Key.Stage.ToString()).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Value).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
