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

/// <summary>
/// One database on a <see cref="PostgresServerResource"/>, created once the server is ready, owned by its own role
/// (<see cref="RoleName"/>, password <see cref="PasswordParameter"/>): what a service gets through <c>WithReference</c>
/// connects as that role, which is no superuser and cannot open the other databases (<see cref="PostgresCluster.EnsureDatabaseAsync(string, string, DatabaseOwner?, CancellationToken)"/>).
/// </summary>
public sealed class PostgresDatabaseResource(string name, string databaseName, PostgresServerResource parent, string roleName, ParameterResource password)
    : Resource(name), IResourceWithParent<PostgresServerResource>, IResourceWithConnectionString
{
    public PostgresServerResource Parent { get; } = parent;

    public string DatabaseName { get; } = databaseName;

    public string RoleName { get; } = roleName;

    public ParameterResource PasswordParameter { get; } = password;

    /// <summary>As the database's own role: what services get.</summary>
    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"Host=127.0.0.1;Port={Parent.PrimaryEndpoint.Property(EndpointProperty.Port)};Username={RoleName};Password={PasswordParameter};Database={DatabaseName}");

    /// <summary>As the superuser: for the human operator (endpoints.json), never handed to a service.</summary>
    public ReferenceExpression AdminConnectionStringExpression =>
        ReferenceExpression.Create($"{Parent};Database={DatabaseName}");
}
