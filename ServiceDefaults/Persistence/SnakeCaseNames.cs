using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Platform.ServiceDefaults.Persistence;

/// <summary>Gives every table, column, key and index a snake_case name, the PostgreSQL convention.</summary>
internal static class SnakeCaseNames
{
    public static void Apply(ModelBuilder modelBuilder)
    {
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            if (entity.GetTableName() is { } table && !entity.IsOwned())
                entity.SetTableName(ToSnakeCase(table));
            var tableId = StoreObjectIdentifier.Create(entity, StoreObjectType.Table);
            foreach (var property in entity.GetProperties())
            {
                var column = tableId is { } id ? property.GetColumnName(id) : property.GetColumnName();
                if (column is not null) property.SetColumnName(ToSnakeCase(column));
            }
        }
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            // GetName() and friends return an explicitly configured name as is, else EF's default (PK_x, IX_x_y).
            foreach (var key in entity.GetKeys())
            {
                if (key.GetName() is { } name) key.SetName(ToSnakeCase(name));
            }
            foreach (var foreignKey in entity.GetForeignKeys())
            {
                if (foreignKey.GetConstraintName() is { } name) foreignKey.SetConstraintName(ToSnakeCase(name));
            }
            foreach (var index in entity.GetIndexes())
            {
                if (index.GetDatabaseName() is { } name) index.SetDatabaseName(ToSnakeCase(name));
            }
        }
    }

    public static string ToSnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                var previous = i > 0 ? name[i - 1] : '_';
                var next = i + 1 < name.Length ? name[i + 1] : '_';
                if (i > 0 && previous != '_' && (char.IsLower(previous) || char.IsDigit(previous) || char.IsLower(next)))
                    builder.Append('_');
                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }
}
