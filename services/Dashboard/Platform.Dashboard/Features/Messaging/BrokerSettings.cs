namespace Platform.Dashboard.Features.Messaging;

/// <summary>
/// Where the broker is: the AMQP URI (<c>ConnectionStrings:messaging</c>, with user and password) and the management
/// API (<c>Dashboard:RabbitMq:ManagementUrl</c>; same credentials). Either may be missing: the view says so.
/// </summary>
public sealed record BrokerSettings(Uri? Amqp, Uri? Management, string User, string Password)
{
    public static BrokerSettings FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var amqp = Uri.TryCreate(FirstNode(configuration.GetConnectionString("messaging")), UriKind.Absolute, out var a) ? a : null;
        var management = Uri.TryCreate(configuration["Dashboard:RabbitMq:ManagementUrl"], UriKind.Absolute, out var m) ? m : null;
        var userInfo = amqp?.UserInfo.Split(':', 2) ?? [];
        return new BrokerSettings(
            amqp,
            management,
            userInfo.Length > 0 && userInfo[0].Length > 0 ? Uri.UnescapeDataString(userInfo[0]) : "guest",
            userInfo.Length > 1 ? Uri.UnescapeDataString(userInfo[1]) : "guest");
    }

    // A cluster's connection string lists every node (amqp://u:p@h1:p1,h2:p2/): the dashboard reads through the first.
    private static string? FirstNode(string? connectionString)
    {
        if (connectionString is null) return null;
        var start = connectionString.IndexOf('@', StringComparison.Ordinal) + 1;
        var comma = connectionString.IndexOf(',', start);
        if (start == 0 || comma < 0) return connectionString;
        var end = connectionString.IndexOf('/', comma);
        return connectionString[..comma] + (end < 0 ? "" : connectionString[end..]);
    }

    /// <summary>The AMQP URI of one virtual host.</summary>
    public Uri AmqpFor(string virtualHost)
    {
        if (Amqp is null) throw new NotConfiguredException("No broker is configured (ConnectionStrings:messaging).");
        return new UriBuilder(Amqp) { Path = "/" + Uri.EscapeDataString(virtualHost) }.Uri;
    }

    /// <summary>The broker's address is not configured: the dashboard cannot reach it (503, not the caller's fault).</summary>
    public sealed class NotConfiguredException(string message) : Exception(message);
}
