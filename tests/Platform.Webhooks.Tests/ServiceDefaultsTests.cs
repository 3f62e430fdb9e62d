using Platform.Testing;

namespace Platform.Webhooks.Tests;

/// <summary>The service as deployed: real PostgreSQL and RabbitMQ, ServiceDefaults wired by its Program.cs.</summary>
public sealed class ServiceDefaultsTests(ThrowawayPostgres postgres, ThrowawayRabbitMq rabbit)
    : ServiceConformanceTests<Program>(postgres, rabbit, "webhooksdb");
