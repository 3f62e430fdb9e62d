using Aspire.Hosting.ApplicationModel;

namespace Platform.Hosting.Aspire;

/// <summary>
/// A RabbitMQ 3.10 node with the management plugin, run from the OS binaries (<see cref="RabbitMqNode"/>), its
/// state kept in <see cref="DataDirectory"/>. User <c>platform</c>, password from <see cref="PasswordParameter"/>.
/// </summary>
public sealed class RabbitMqServerResource(string name, string dataDirectory, ParameterResource password)
    : ExecutableResource(name, OsPackages.RabbitMq("rabbitmq-server"), dataDirectory), IRabbitMqBrokerResource
{
    internal const string PrimaryEndpointName = "amqp";
    internal const string ManagementEndpointName = "management";

    public string DataDirectory { get; } = dataDirectory;

    public ParameterResource PasswordParameter { get; } = password;

    public EndpointReference PrimaryEndpoint => field ??= new(this, PrimaryEndpointName);

    public EndpointReference ManagementEndpoint => field ??= new(this, ManagementEndpointName);

    /// <summary>The management UI and HTTP API (the same credentials as AMQP).</summary>
    public ReferenceExpression ManagementUrlExpression =>
        ReferenceExpression.Create($"http://127.0.0.1:{ManagementEndpoint.Property(EndpointProperty.Port)}/");

    /// <summary>The AMQP URI, default virtual host.</summary>
    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"amqp://{RabbitMqServer.User}:{PasswordParameter}@127.0.0.1:{PrimaryEndpoint.Property(EndpointProperty.Port)}/");
}

/// <summary>
/// The node's own Erlang port mapper. A node that finds no epmd starts a daemonized one that would outlive the
/// AppHost; as a resource of its own it is stopped with everything else. The node waits for it, so it is not
/// the node's child in Aspire's sense (that would be waiting for itself), only shown under it.
/// </summary>
public sealed class EpmdResource(string name, string workingDirectory)
    : ExecutableResource(name, OsPackages.Epmd(), workingDirectory);
