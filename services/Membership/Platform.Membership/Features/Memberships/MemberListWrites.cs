using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Diagnostics;
using DomainMembership = Platform.Membership.Domain.Membership;

namespace Platform.Membership.Features.Memberships;

/// <summary>
/// Clears the member-list entries a commit of this process touched, right after the commit, so the writer's next
/// read sees its change without waiting for the NOTIFY. Two shapes of commit, as for the outbox: SaveChanges with no
/// explicit transaction (SavedChanges) and an explicit transaction (TransactionCommitted).
/// </summary>
internal sealed class MemberListWrites(MemberListVersions versions) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    // What each context's pending work touched; null inside means "any consortium" (an organization changed).
    private readonly ConditionalWeakTable<DbContext, Touched> _pending = [];

    private sealed class Touched
    {
        public HashSet<Guid>? Consortia { get; set; } = [];
    }

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Mark(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Mark(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        ForgetIfCommitted(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        ForgetIfCommitted(eventData.Context);
        return ValueTask.FromResult(result);
    }

    // A failed save may still have been committed by someone's retry logic; clearing costs one query.
    public void SaveChangesFailed(DbContextErrorEventData eventData) => Forget(eventData.Context);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    private void Mark(DbContext? context)
    {
        if (context is null) return;
        HashSet<Guid>? consortia = null;
        var any = false;
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted)) continue;
            switch (entry.Entity)
            {
                case DomainMembership membership:
                    (consortia ??= []).Add(membership.ConsortiumId);
                    break;
                case Organization when entry.State != EntityState.Added:
                    any = true;
                    break;
            }
        }
        if (consortia is null && !any) return;
        var touched = _pending.GetOrCreateValue(context);
        lock (touched)
        {
            if (any) touched.Consortia = null;
            else if (touched.Consortia is not null) touched.Consortia.UnionWith(consortia!);
        }
    }

    private void ForgetIfCommitted(DbContext? context)
    {
        // Inside an explicit transaction nothing is visible yet; TransactionCommitted clears.
        if (context is not null && context.Database.CurrentTransaction is null) Forget(context);
    }

    private void Forget(DbContext? context)
    {
        if (context is null || !_pending.TryGetValue(context, out var touched)) return;
        _pending.Remove(context);
        lock (touched) versions.Forget(touched.Consortia is null ? null : [.. touched.Consortia]);
    }
}
