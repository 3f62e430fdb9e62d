using Npgsql;
using NpgsqlTypes;

namespace Platform.TalentPipeline.Features.Placements;

/// <summary>
/// The SQL of placement ingestion, set-based (a statement per step for the whole batch, never one round trip per
/// event) on the caller's connection and transaction. Column lists live here only; parameters are named arrays
/// unnested into rows. The tables and columns are those of the EF model (Persistence/) and the migrations.
/// </summary>
public sealed class PlacementStore(NpgsqlConnection connection, NpgsqlTransaction transaction)
{
    private const string EventKey = "college_id, event_id";
    private const string TraineeKey = "college_id, trainee_ref";
    private const string EventColumns = "college_id, event_id, program_id, consortium_id, trainee_ref, type, occurred_at, enterprise_id";
    private const string TraineeColumns = "consortium_id, program_id, stage, stage_occurred_at, events";
    private const string FunnelKeyColumns = "consortium_id, program_id, college_id, enterprise_id, month, stage";

    /// <summary>
    /// Creates missing trainee rows, then locks all of the batch's trainees, each step in (college, ref) order: every
    /// batch takes its locks in the same order, so concurrent batches for the same trainees queue instead of deadlocking
    /// (a batch meeting another's uncommitted new trainee waits in the insert, before it holds any later lock).
    /// </summary>
    /// <param name="trainees">Each trainee with the event that creates its row when missing (consortium, program, type, time).</param>
    public async Task LockTraineesAsync(IReadOnlyList<(Guid CollegeId, string TraineeRef, Guid ConsortiumId, Guid ProgramId, PlacementType Type, DateTimeOffset OccurredAt)> trainees,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var colleges = trainees.Select(t => t.CollegeId).ToArray();
        var refs = trainees.Select(t => t.TraineeRef).ToArray();
        await using var batch = new NpgsqlBatch(connection, transaction);
        var insert = new NpgsqlBatchCommand($"""
            INSERT INTO trainees ({TraineeKey}, {TraineeColumns}, updated_at)
            SELECT t.college_id, t.trainee_ref, t.consortium_id, t.program_id, t.stage, t.occurred_at, 0, @now
              FROM unnest(@colleges::uuid[], @refs::text[], @consortia::uuid[], @programs::uuid[], @occurred::timestamptz[], @stages::text[])
                   AS t(college_id, trainee_ref, consortium_id, program_id, occurred_at, stage)
             ORDER BY t.college_id, t.trainee_ref
            ON CONFLICT ({TraineeKey}) DO NOTHING
            """);
        insert.Parameters.Add(new NpgsqlParameter("colleges", colleges));
        insert.Parameters.Add(new NpgsqlParameter("refs", refs));
        insert.Parameters.Add(new NpgsqlParameter("consortia", trainees.Select(t => t.ConsortiumId).ToArray()));
        insert.Parameters.Add(new NpgsqlParameter("programs", trainees.Select(t => t.ProgramId).ToArray()));
        insert.Parameters.Add(new NpgsqlParameter("occurred", trainees.Select(t => t.OccurredAt.UtcDateTime).ToArray()));
        insert.Parameters.Add(new NpgsqlParameter("now", now.UtcDateTime));
        insert.Parameters.Add(new NpgsqlParameter("stages", trainees.Select(t => t.Type.ToString()).ToArray()));
        var lockAll = new NpgsqlBatchCommand($"""
            SELECT 1 FROM trainees t
              JOIN unnest(@colleges::uuid[], @refs::text[]) AS k({TraineeKey}) ON t.college_id = k.college_id AND t.trainee_ref = k.trainee_ref
             ORDER BY t.college_id, t.trainee_ref
               FOR UPDATE OF t
            """);
        lockAll.Parameters.Add(new NpgsqlParameter("colleges", colleges));
        lockAll.Parameters.Add(new NpgsqlParameter("refs", refs));
        batch.BatchCommands.Add(insert);
        batch.BatchCommands.Add(lockAll);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The stored events under the given (college, eventId) keys: resends or conflicts.</summary>
    public async Task<Dictionary<(Guid, string), PlacementEvent>> ReadExistingAsync(IReadOnlyList<(Guid CollegeId, string EventId)> keys, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            SELECT e.college_id, e.event_id, e.program_id, e.trainee_ref, e.type, e.occurred_at, e.enterprise_id
              FROM placement_events e
              JOIN unnest(@colleges::uuid[], @events::text[]) AS k({EventKey}) ON e.college_id = k.college_id AND e.event_id = k.event_id
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter("colleges", keys.Select(k => k.CollegeId).ToArray()));
        command.Parameters.Add(new NpgsqlParameter("events", keys.Select(k => k.EventId).ToArray()));
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

    /// <summary>Inserts the events unflagged; returns the keys actually inserted (a concurrent batch may have taken one).</summary>
    public async Task<HashSet<(Guid, string)>> InsertAsync(IReadOnlyList<PlacementEvent> events, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var inserted = new HashSet<(Guid, string)>();
        if (events.Count == 0) return inserted;
        await using var command = new NpgsqlCommand($"""
            INSERT INTO placement_events ({EventColumns}, flag, accepted_at)
            SELECT e.college_id, e.event_id, e.program_id, e.consortium_id, e.trainee_ref, e.type, e.occurred_at, e.enterprise_id, NULL, @now
              FROM unnest(@colleges::uuid[], @events::text[], @programs::uuid[], @consortia::uuid[], @refs::text[], @types::text[], @occurred::timestamptz[], @enterprises::uuid[])
                   AS e({EventColumns})
            ON CONFLICT ({EventKey}) DO NOTHING
            RETURNING {EventKey}
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter("colleges", events.Select(e => e.CollegeId).ToArray()));
        command.Parameters.Add(new NpgsqlParameter("events", events.Select(e => e.EventId).ToArray()));
        command.Parameters.Add(new NpgsqlParameter("programs", events.Select(e => e.ProgramId).ToArray()));
        command.Parameters.Add(new NpgsqlParameter("consortia", events.Select(e => e.ConsortiumId).ToArray()));
        command.Parameters.Add(new NpgsqlParameter("refs", events.Select(e => e.TraineeRef).ToArray()));
        command.Parameters.Add(new NpgsqlParameter("types", events.Select(e => e.Type.ToString()).ToArray()));
        command.Parameters.Add(new NpgsqlParameter("occurred", events.Select(e => e.OccurredAt.UtcDateTime).ToArray()));
        command.Parameters.Add(new NpgsqlParameter("enterprises", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = events.Select(e => e.EnterpriseId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("now", now.UtcDateTime));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            inserted.Add((reader.GetGuid(0), reader.GetString(1)));
        return inserted;
    }

    /// <summary>The whole history of each trainee, with each event's current flag.</summary>
    public async Task<Dictionary<(Guid, string), List<StoredPlacement>>> ReadHistoriesAsync(IReadOnlyList<(Guid CollegeId, string TraineeRef)> trainees,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            SELECT e.college_id, e.trainee_ref, e.event_id, e.type, e.occurred_at, e.program_id, e.consortium_id, e.enterprise_id, e.flag
              FROM placement_events e
              JOIN unnest(@colleges::uuid[], @refs::text[]) AS k({TraineeKey}) ON e.college_id = k.college_id AND e.trainee_ref = k.trainee_ref
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter("colleges", trainees.Select(t => t.CollegeId).ToArray()));
        command.Parameters.Add(new NpgsqlParameter("refs", trainees.Select(t => t.TraineeRef).ToArray()));
        var histories = new Dictionary<(Guid, string), List<StoredPlacement>>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var key = (reader.GetGuid(0), reader.GetString(1));
            if (!histories.TryGetValue(key, out var list)) histories[key] = list = [];
            list.Add(new StoredPlacement(
                new HistoryEntry(reader.GetString(2), Enum.Parse<PlacementType>(reader.GetString(3)), reader.GetFieldValue<DateTimeOffset>(4),
                    reader.GetGuid(5), reader.GetGuid(6), reader.IsDBNull(7) ? null : reader.GetGuid(7)),
                reader.IsDBNull(8) ? null : Enum.Parse<PlacementFlag>(reader.GetString(8))));
        }
        return histories;
    }

    public async Task UpdateFlagsAsync(IReadOnlyList<FlagChange> changes, CancellationToken cancellationToken)
    {
        if (changes.Count == 0) return;
        await using var command = new NpgsqlCommand($"""
            UPDATE placement_events e SET flag = c.flag
              FROM unnest(@colleges::uuid[], @events::text[], @flags::text[]) AS c({EventKey}, flag)
             WHERE e.college_id = c.college_id AND e.event_id = c.event_id
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter("colleges", changes.Select(c => c.CollegeId).ToArray()));
        command.Parameters.Add(new NpgsqlParameter("events", changes.Select(c => c.EventId).ToArray()));
        command.Parameters.Add(new NpgsqlParameter("flags", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = changes.Select(c => c.Flag?.ToString()).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task UpdateTraineesAsync(IReadOnlyList<TraineeState> trainees, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            UPDATE trainees t SET ({TraineeColumns}, updated_at) = (s.consortium_id, s.program_id, s.stage, s.stage_at, s.events, @now)
              FROM unnest(@colleges::uuid[], @refs::text[], @consortia::uuid[], @programs::uuid[], @stages::text[], @stagesAt::timestamptz[], @events::int[])
                   AS s({TraineeKey}, consortium_id, program_id, stage, stage_at, events)
             WHERE t.college_id = s.college_id AND t.trainee_ref = s.trainee_ref
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter("colleges", trainees.Select(t => t.CollegeId).ToArray()));
        command.Parameters.Add(new NpgsqlParameter("refs", trainees.Select(t => t.TraineeRef).ToArray()));
        command.Parameters.Add(new NpgsqlParameter("consortia", trainees.Select(t => t.ConsortiumId).ToArray()));
        command.Parameters.Add(new NpgsqlParameter("programs", trainees.Select(t => t.ProgramId).ToArray()));
        command.Parameters.Add(new NpgsqlParameter("stages", trainees.Select(t => t.Stage.ToString()).ToArray()));
        command.Parameters.Add(new NpgsqlParameter("stagesAt", trainees.Select(t => t.StageAt.UtcDateTime).ToArray()));
        command.Parameters.Add(new NpgsqlParameter("events", trainees.Select(t => t.Events).ToArray()));
        command.Parameters.Add(new NpgsqlParameter("now", now.UtcDateTime));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>One upsert for the batch's funnel deltas, in key order (concurrent batches touch shared rows in the same order).</summary>
    public async Task ApplyFunnelDeltasAsync(IReadOnlyDictionary<FunnelKey, int> deltas, CancellationToken cancellationToken)
    {
        if (deltas.Count == 0) return;
        var rows = deltas.ToList();
        await using var command = new NpgsqlCommand($"""
            INSERT INTO funnel_counts ({FunnelKeyColumns}, trainees)
            SELECT d.consortium_id, d.program_id, d.college_id, d.enterprise_id, d.month, d.stage, d.delta
              FROM unnest(@consortia::uuid[], @programs::uuid[], @colleges::uuid[], @enterprises::uuid[], @months::date[], @stages::text[], @deltas::int[])
                   AS d({FunnelKeyColumns}, delta)
             ORDER BY 1, 2, 3, 4, 5, 6
            ON CONFLICT ({FunnelKeyColumns})
               DO UPDATE SET trainees = funnel_counts.trainees + excluded.trainees
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter("consortia", rows.Select(r => r.Key.ConsortiumId).ToArray()));
        command.Parameters.Add(new NpgsqlParameter("programs", rows.Select(r => r.Key.ProgramId).ToArray()));
        command.Parameters.Add(new NpgsqlParameter("colleges", rows.Select(r => r.Key.CollegeId).ToArray()));
        command.Parameters.Add(new NpgsqlParameter("enterprises", rows.Select(r => r.Key.EnterpriseId).ToArray()));
        command.Parameters.Add(new NpgsqlParameter("months", rows.Select(r => r.Key.Month).ToArray()));
        command.Parameters.Add(new NpgsqlParameter("stages", rows.Select(r => r.Key.Stage.ToString()).ToArray()));
        command.Parameters.Add(new NpgsqlParameter("deltas", rows.Select(r => r.Value).ToArray()));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
