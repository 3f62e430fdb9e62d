using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Platform.ServiceDefaults.Persistence;

/// <summary>
/// The database, not a prior SELECT, decides uniqueness (two concurrent registrations of one credit code: one
/// insert fails). This tells a handler which unique index refused the row, so it can answer 409 instead of 500.
/// </summary>
public static class UniqueViolation
{
    /// <summary>True when saving failed because the unique index or constraint <paramref name="indexName"/> already holds the value.</summary>
    public static bool IsUniqueViolation(this DbUpdateException exception, string indexName)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } postgres
               && string.Equals(postgres.ConstraintName, indexName, StringComparison.Ordinal);
    }
}
