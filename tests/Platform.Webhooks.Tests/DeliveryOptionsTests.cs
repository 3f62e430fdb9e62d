using Platform.Testing;
using Platform.Webhooks.Features.Deliveries;

namespace Platform.Webhooks.Tests;

/// <summary>Webhooks:Delivery is checked at start: bad values stop the service with every reason.</summary>
public sealed class DeliveryOptionsTests(ThrowawayPostgres postgres, ThrowawayRabbitMq rabbit)
{
    [Fact]
    public void The_defaults_are_valid_and_use_the_default_schedule()
    {
        var options = new DeliveryOptions();
        Assert.True(new DeliveryOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(Domain.DeliverySchedule.DefaultRetryDelays, options.Schedule().RetryDelays);
        Assert.Equal((4, 256, TimeSpan.FromDays(30)), (options.MaxConcurrentPerEndpoint, options.MaxInFlight, options.Retention));
    }

    [Fact]
    public async Task A_service_with_bad_delivery_settings_does_not_start_and_says_which_ones()
    {
        var settings = new Dictionary<string, string>
        {
            ["Webhooks:Delivery:MaxConcurrentPerEndpoint"] = "0",
            ["Webhooks:Delivery:LeaseDuration"] = "00:00:05",
            ["Webhooks:Delivery:RetryDelays:0"] = "-00:00:01",
        };

        var failure = await Record.ExceptionAsync(async () =>
        {
            await using var service = await ServiceUnderTest<Program>.StartAsync(postgres, rabbit, "webhooksdb", settings);
        });

        Assert.NotNull(failure);
        var text = failure.ToString();
        Assert.Contains("Webhooks:Delivery:MaxConcurrentPerEndpoint", text, StringComparison.Ordinal);
        Assert.Contains("Webhooks:Delivery:LeaseDuration", text, StringComparison.Ordinal);
        Assert.Contains("Webhooks:Delivery:RetryDelays:0", text, StringComparison.Ordinal);
    }
}
