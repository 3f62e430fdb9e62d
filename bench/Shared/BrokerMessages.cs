using System.Text.Json;
using RabbitMQ.Client;

namespace Platform.Bench;

/// <summary>Integration events published as their producing service would, without the service.</summary>
public static class BrokerMessages
{
    /// <summary>
    /// A message in MassTransit's JSON envelope on the exchange MassTransit names after the contract (the consuming
    /// service declared and bound it when it started). With publisher confirmations on, returns once the broker has it.
    /// </summary>
    public static async Task PublishAsync<T>(IChannel channel, T message) where T : class
    {
        ArgumentNullException.ThrowIfNull(channel);
        var type = typeof(T);
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            messageId = Guid.CreateVersion7(),
            messageType = new[] { $"urn:message:{type.Namespace}:{type.Name}" },
            message,
            sentTime = DateTimeOffset.UtcNow,
            headers = new { },
        }, JsonSerializerOptions.Web);
        var properties = new BasicProperties { ContentType = "application/vnd.masstransit+json", Persistent = true, MessageId = Guid.NewGuid().ToString() };
        await channel.BasicPublishAsync(ExchangeOf<T>(), "", mandatory: false, properties, body);
    }

    public static string ExchangeOf<T>() => $"{typeof(T).Namespace}:{typeof(T).Name}";
}
