using Aspire.Hosting.ApplicationModel;

namespace Platform.Hosting.Aspire;

/// <summary>A broker the services reference: one node (<see cref="RabbitMqServerResource"/>) or a cluster of them.</summary>
public interface IRabbitMqBrokerResource : IResourceWithConnectionString
{
    /// <summary>The management UI and HTTP API of the (first) node, with the platform user's credentials.</summary>
    ReferenceExpression ManagementUrlExpression { get; }
}

/// <summary>
/// A RabbitMQ cluster of <see cref="Nodes"/> on this machine (one <see cref="RabbitMqServerResource"/> each, one shared
/// epmd and Erlang cookie), for quorum queues replicated on every node. Its connection string lists every node's AMQP
/// address, <c>amqp://user:password@127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3/</c>, so a client reconnects to a survivor.
/// </summary>
public sealed class RabbitMqClusterResource(string name, ParameterResource password) : Resource(name), IRabbitMqBrokerResource
{
    private readonly List<RabbitMqServerResource> _nodes = [];

    public ParameterResource PasswordParameter { get; } = password;

    public IReadOnlyList<RabbitMqServerResource> Nodes => _nodes;

    internal void AddNode(RabbitMqServerResource node) => _nodes.Add(node);

    public ReferenceExpression ManagementUrlExpression => _nodes[0].ManagementUrlExpression;

    public ReferenceExpression ConnectionStringExpression
    {
        get
        {
            var builder = new ReferenceExpressionBuilder();
            builder.AppendLiteral($"amqp://{RabbitMqServer.User}:");
            builder.AppendFormatted(PasswordParameter);
            builder.AppendLiteral("@");
            for (var i = 0; i < _nodes.Count; i++)
            {
                builder.AppendLiteral(i == 0 ? "127.0.0.1:" : ",127.0.0.1:");
                builder.AppendFormatted(_nodes[i].PrimaryEndpoint.Property(EndpointProperty.Port));
            }
            builder.AppendLiteral("/");
            return builder.Build();
        }
    }
}
