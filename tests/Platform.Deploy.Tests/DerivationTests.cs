namespace Platform.Deploy.Tests;

/// <summary>
/// The expectations the other tests derive from the code (AppHost, Program.cs files, README) are read as meant: one
/// known case each, so a change of the sources' shape that silently derives nothing fails here instead of letting
/// every manifest pass.
/// </summary>
public sealed class DerivationTests
{
    [Fact]
    public void The_AppHost_gives_events_its_database_the_broker_two_services_and_the_operator_key()
    {
        var events = AppHostModel.Repository.Services.Single(s => s.Name == "events");
        Assert.Equal("eventsdb", events.Database);
        Assert.Equal(
            ["ConnectionStrings__eventsdb", "ConnectionStrings__messaging", "Platform__OperatorKey", "services__membership__http__0", "services__talent-pipeline__http__0"],
            events.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_AppHost_gives_the_dashboard_the_broker_management_and_the_Aspire_dashboard_address()
    {
        var dashboard = AppHostModel.Repository.Services.Single(s => s.Name == "dashboard");
        Assert.Null(dashboard.Database);
        Assert.Contains("Dashboard__RabbitMq__ManagementUrl", dashboard.Keys);
        Assert.Contains("Dashboard__AspireDashboard__Url", dashboard.Keys);
        Assert.Contains("services__webhooks__http__0", dashboard.Keys);
    }

    [Fact]
    public void Consumer_queues_are_named_as_MassTransit_names_them()
    {
        Assert.Contains("events-placement-feed", ConsumerQueues.Repository["events"]);
        Assert.Contains("talent-pipeline-api-client-keys", ConsumerQueues.Repository["talent-pipeline"]);
        Assert.Equal(4, ConsumerQueues.Repository.Count);
    }

    [Fact]
    public void Configuration_keys_come_from_the_README_and_the_code()
    {
        var keys = ConfigurationKeys.Repository;
        Assert.Contains("OTEL_EXPORTER_OTLP_ENDPOINT", keys.Documented);
        Assert.Contains("Platform__OperatorKey", keys.Documented);
        Assert.Contains("Dashboard__AllowedHosts", keys.ReadByCode);
        Assert.True(keys.IsKnown("Webhooks__Delivery__MaxAttempts"));
        Assert.Contains("Messaging", keys.Sections);
        Assert.False(keys.IsKnown("Platform__OperatorKee"));
        Assert.False(keys.IsKnown("Platform__PublicUrl__talent-pipeline"));
    }
}
