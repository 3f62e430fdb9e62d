using Aspire.Hosting.ApplicationModel;

namespace Platform.Hosting.Aspire;

/// <summary>
/// A PostgreSQL 15 server run from the OS binaries (<see cref="PostgresCluster"/>), its cluster kept in
/// <see cref="DataDirectory"/>. Superuser <c>postgres</c>, password from <see cref="PasswordParameter"/>.
/// </summary>
public sealed class PostgresServerResource(string name, string dataDirectory, ParameterResource password)
    : ExecutableResource(name, PostgresCluster.RunAsUser is null ? OsPackages.Postgres("postgres") : OsPackages.Setpriv(), dataDirectory),
      IResourceWithConnectionString
{
    internal const string PrimaryEndpointName = "tcp";
    private readonly List<PostgresDatabaseResource> _databases = [];

    public string DataDirectory { get; } = dataDirectory;

    public ParameterResource PasswordParameter { get; } = password;

    public EndpointReference PrimaryEndpoint => field ??= new(this, PrimaryEndpointName);

    /// <summary>A connection string without a database (Npgsql then uses the user name's, <c>postgres</c>).</summary>
    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"Host=127.0.0.1;Port={PrimaryEndpoint.Property(EndpointProperty.Port)};Username={PostgresServer.Superuser};Password={PasswordParameter}");

    /// <summary>The databases added with <c>AddDatabase</c>.</summary>
    public IReadOnlyList<PostgresDatabaseResource> Databases => _databases;

    internal void AddDatabase(PostgresDatabaseResource database) => _databases.Add(database);
}

/// <summary>One database on a <see cref="PostgresServerResource"/>, created once the server is ready.</summary>
public sealed class PostgresDatabaseResource(string name, string databaseName, PostgresServerResource parent)
    : Resource(name), IResourceWithParent<PostgresServerResource>, IResourceWithConnectionString
{
    public PostgresServerResource Parent { get; } = parent;

    public string DatabaseName { get; } = databaseName;

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{Parent};Database={DatabaseName}");
}
