using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using MassTransit.Middleware;
using Microsoft.Extensions.Options;
using Platform.ServiceDefaults.Persistence;

namespace Platform.ServiceDefaults.Messaging;

public static class MessagingExtensions
{
    /// <summary>The connection string name of the broker: <c>ConnectionStrings:messaging</c>, an AMQP URI with user, password and virtual host.</summary>
    public const string ConnectionName = "messaging";

    /// <summary>
    /// MassTransit over RabbitMQ with the platform's conventions, the transactional outbox and the inbox. Call after
    /// <c>AddServiceDatabase</c>.
    /// <list type="bullet">
    /// <item>Consumers (registered in <paramref name="addConsumers"/>, plus <see cref="ApiClientKeysConsumer"/> in every
    /// service) get endpoints named <c>&lt;service&gt;-&lt;consumer&gt;</c> in kebab case (<c>membership-api-client-keys</c>),
    /// on durable quorum queues.</item>
    /// <item>Every consumer runs through the inbox (<see cref="InboxFilter{TMessage}"/>): its effects, its outgoing
    /// events and the record that the message was processed commit in one transaction; duplicates are acknowledged
    /// without effect.</item>
    /// <item>A failing message is retried in memory with exponential back-off (<see cref="MessagingOptions.RetryLimit"/>
    /// times); if it failed for a transient reason it then comes back after each of
    /// <see cref="MessagingOptions.RedeliveryIntervals"/> (<see cref="DelayedRedeliveryFilter"/>), and only then, or at
    /// once for any other fault, is it moved to <c>&lt;queue&gt;_error</c>.</item>
    /// <item>Events are published only through <see cref="IntegrationEventExtensions.AddIntegrationEvent"/> and the
    /// outbox delivery worker.</item>
    /// <item>Health checks tagged <c>ready</c>, degraded at worst (readiness never fails for the broker or a backlog):
    /// <c>messaging-bus</c> (MassTransit's own), <c>outbox</c> (backlog, parked rows) and <c>error-queues</c> (depth).</item>
    /// </list>
    /// Settings: the <c>Messaging</c> configuration section (<see cref="MessagingOptions"/>).
    /// </summary>
    public static WebApplicationBuilder AddServiceMessaging(this WebApplicationBuilder builder, string serviceName, Action<IBusRegistrationConfigurator>? addConsumers = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceName);
        var services = builder.Services;

        var dbContextTypes = services.Select(d => d.ServiceType).Where(t => t.IsSubclassOf(typeof(PlatformDbContext))).Distinct().ToList();
        if (dbContextTypes.Count == 0 || !services.Any(d => d.ServiceType == typeof(ServiceDatabase)))
            throw new InvalidOperationException("Messaging keeps its outbox and inbox in the service database: call AddServiceDatabase<TDbContext>() before AddServiceMessaging().");
        var broker = BrokerAddress.Parse(builder.Configuration.GetConnectionString(ConnectionName)
            ?? throw new InvalidOperationException($"Connection string '{ConnectionName}' is missing: set ConnectionStrings__{ConnectionName} to an amqp:// URI."));

        services.AddOptions<MessagingOptions>()
            .Bind(builder.Configuration.GetSection(MessagingOptions.Section))
            .Validate(MessagingOptions.IsValid, $"Invalid '{MessagingOptions.Section}' settings: counts must be positive (RetryLimit may be 0), intervals positive, minimums not above maximums.")
            .ValidateOnStart();

        // Outbox: the commit interceptor wakes the delivery worker.
        services.AddScoped<InboxBatch>();
        services.AddSingleton<OutboxSignal>();
        foreach (var dbContextType in dbContextTypes)
            AddCommitInterceptorMethod.MakeGenericMethod(dbContextType).Invoke(null, [services]);

        services.AddMassTransit(bus =>
        {
            // On by default, MassTransit reports usage to its vendor over HTTPS at start-up; a platform holding partners'
            // data does not call out, and without a route out it only logged a connection failure.
            bus.DisableUsageTelemetry();
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(serviceName, includeNamespace: false));
            bus.AddConsumer<ApiClientKeysConsumer>();
            addConsumers?.Invoke(bus);

            bus.AddConfigureEndpointsCallback((context, queueName, endpoint) =>
            {
                var settings = context.GetRequiredService<IOptions<MessagingOptions>>().Value;
                context.GetRequiredService<ConsumerQueues>().Add(queueName);
                if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                    rabbit.SetQuorumQueue();
                endpoint.ConcurrentMessageLimit = settings.ConcurrentMessageLimit;
                endpoint.PrefetchCount = Math.Max(settings.PrefetchCount, settings.ConcurrentMessageLimit);
                // Order matters: retry outside the inbox, so every attempt is a fresh transaction.
                endpoint.UseMessageRetry(retry => retry.Exponential(settings.RetryLimit, settings.RetryMinInterval, settings.RetryMaxInterval, settings.RetryMinInterval));
                endpoint.UseConsumeFilter(typeof(InboxFilter<>), context);
                // The error pipe: transient faults come back later (delayed redelivery), the rest go to _error as before.
                var redeliveryLogger = context.GetRequiredService<ILoggerFactory>().CreateLogger<DelayedRedeliveryFilter>();
                endpoint.ConfigureError(error =>
                {
                    error.UseFilter(new DelayedRedeliveryFilter(settings.Redeliveries, redeliveryLogger));
                    error.UseFilter(new GenerateFaultFilter());
                    error.UseFilter(new ErrorTransportFilter());
                });
            });

            bus.ConfigureHealthCheckOptions(health =>
            {
                health.Name = "messaging-bus";
                // A broker outage degrades readiness but does not fail it: requests still work, events wait in the outbox.
                health.MinimalFailureStatus = Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded;
                health.Tags.Clear();
                health.Tags.Add("ready");
            });

            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(broker.Host, broker.Port, broker.VirtualHost, host =>
                {
                    host.Username(broker.User);
                    host.Password(broker.Password);
                    // Publish completes only once the broker has the message: the outbox deletes rows on that.
                    host.PublisherConfirmation = true;
                    if (broker.UseTls) host.UseSsl(_ => { });
                    // A cluster: every node is known, so the connection moves to a survivor when its node goes away.
                    if (broker.Nodes.Count > 1) host.UseCluster(cluster => { foreach (var node in broker.Nodes) cluster.Node(node); });
                });
                rabbit.ConfigureJsonSerializerOptions(WithEnumsAsStrings);
                // The error and skipped queues are as durable as the queues they serve.
                rabbit.SendTopology.ConfigureErrorSettings = error => error.SetQuorumQueue();
                rabbit.SendTopology.ConfigureDeadLetterSettings = deadLetter => deadLetter.SetQuorumQueue();
                rabbit.ConfigureEndpoints(context);
            });
        });

        services.AddSingleton<ConsumerQueues>();
        services.AddSingleton<BusReadiness>();
        services.AddSingleton<IBusObserver>(provider => provider.GetRequiredService<BusReadiness>());
        services.AddHostedService<OutboxDeliveryWorker>();
        services.AddHostedService<InboxCleanupWorker>();
        services.AddSingleton(broker);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ErrorQueueHealthCheck>();
        services.AddHealthChecks()
            .AddCheck<MessagingTopologyHealthCheck>("messaging-topology", tags: ["ready"])
            .AddCheck<OutboxBacklogHealthCheck>("outbox", tags: ["ready"])
            .AddCheck<ErrorQueueHealthCheck>("error-queues", failureStatus: Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded, tags: ["ready"]);
        return builder;
    }

    private static readonly MethodInfo AddCommitInterceptorMethod =
        typeof(MessagingExtensions).GetMethod(nameof(AddCommitInterceptor), BindingFlags.NonPublic | BindingFlags.Static)!;

    // Generic because EF configures options per DbContext type; called through reflection because only
    // AddServiceDatabase<TDbContext> knows the type, and AddServiceMessaging takes no type parameter.
    private static void AddCommitInterceptor<TDbContext>(IServiceCollection services)
        where TDbContext : DbContext =>
        services.AddDbContextInterceptor<TDbContext, OutboxCommitInterceptor>();

    // MassTransit keeps one serializer configuration per process; copy instead of mutating one that may already be in use.
    private static JsonSerializerOptions WithEnumsAsStrings(JsonSerializerOptions options)
    {
        if (options.Converters.Any(c => c is JsonStringEnumConverter)) return options;
        var copy = new JsonSerializerOptions(options);
        copy.Converters.Add(new JsonStringEnumConverter());
        return copy;
    }
}

/// <summary>
/// The parts of <c>ConnectionStrings:messaging</c>: <c>amqp://user:password@host:port/vhost</c> (or <c>amqps://</c>), or
/// for a cluster every node in the authority, <c>amqp://user:password@host1:port1,host2:port2,host3:port3/vhost</c>.
/// </summary>
internal sealed record BrokerAddress(string Host, ushort Port, string VirtualHost, string User, string Password, bool UseTls)
{
    /// <summary>Every node as <c>host:port</c>; one for a single broker.</summary>
    public IReadOnlyList<string> Nodes { get; init; } = [];

    public static BrokerAddress Parse(string connectionString)
    {
        // Uri does not take several hosts: the others are cut out of the authority and parsed the same way.
        var others = new List<string>();
        var authorityStart = connectionString.IndexOf("://", StringComparison.Ordinal) + 3;
        var authorityEnd = connectionString.IndexOf('/', Math.Max(authorityStart, 3));
        if (authorityStart > 2 && authorityEnd > authorityStart)
        {
            var authority = connectionString[authorityStart..authorityEnd];
            var at = authority.LastIndexOf('@');
            var hosts = authority[(at + 1)..].Split(',');
            if (hosts.Length > 1)
            {
                others.AddRange(hosts[1..]);
                connectionString = connectionString[..(authorityStart + at + 1)] + hosts[0] + connectionString[authorityEnd..];
            }
        }
        if (!Uri.TryCreate(connectionString, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps"))
            throw new InvalidOperationException($"ConnectionStrings:{MessagingExtensions.ConnectionName} must be an amqp:// or amqps:// URI.");
        var useTls = uri.Scheme == "amqps";
        var defaultPort = useTls ? 5671 : 5672;
        var port = uri.Port > 0 ? uri.Port : defaultPort;
        var credentials = uri.UserInfo.Split(':', 2);
        var user = credentials[0].Length > 0 ? Uri.UnescapeDataString(credentials[0]) : "guest";
        var password = credentials.Length > 1 ? Uri.UnescapeDataString(credentials[1]) : "guest";
        var virtualHost = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        var nodes = new List<string> { $"{uri.Host}:{port}" };
        foreach (var other in others)
        {
            if (!Uri.TryCreate($"{uri.Scheme}://{other}/", UriKind.Absolute, out var node) || node.Host.Length == 0)
                throw new InvalidOperationException($"ConnectionStrings:{MessagingExtensions.ConnectionName} names a node that is no host[:port]: '{other}'.");
            nodes.Add($"{node.Host}:{(node.Port > 0 ? node.Port : defaultPort)}");
        }
        return new BrokerAddress(uri.Host, (ushort)port, virtualHost.Length > 0 ? virtualHost : "/", user, password, useTls) { Nodes = nodes };
    }
}
