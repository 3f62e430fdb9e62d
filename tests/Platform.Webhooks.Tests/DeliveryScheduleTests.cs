using Platform.Webhooks.Domain;

namespace Platform.Webhooks.Tests;

/// <summary>The delivery rules of the domain, without a database: the schedule, 410, redelivery, and the 5-day rule of an endpoint.</summary>
public sealed class DeliveryScheduleTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 4, 0, 0, TimeSpan.Zero);
    private static readonly AttemptOutcome Refused = new(false, null, TimeSpan.FromMilliseconds(3), "Connection refused.", null);
    private static readonly AttemptOutcome Unavailable = new(false, 503, TimeSpan.FromMilliseconds(40), null, "later");
    private static readonly AttemptOutcome Gone = new(false, 410, TimeSpan.FromMilliseconds(40), null, null);
    private static readonly AttemptOutcome Ok = new(true, 200, TimeSpan.FromMilliseconds(40), null, "thanks");

    private static WebhookDelivery NewDelivery() =>
        WebhookDelivery.Create(Guid.CreateVersion7(), Guid.CreateVersion7(), WebhookMessage.Create("msg_1", "program.launched", "{}", Start), Start);

    private static WebhookEndpoint NewEndpoint() =>
        WebhookEndpoint.Register(Guid.CreateVersion7(), Guid.CreateVersion7(), "https://partner.example/hooks", ["*"], null, Start);

    [Fact]
    public void The_default_schedule_is_once_then_5s_5min_30min_2h_5h_10h_10h()
    {
        var schedule = DeliverySchedule.Default;
        Assert.Equal(8, schedule.MaxAttempts);
        Assert.Equal([TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromHours(5),
            TimeSpan.FromHours(10), TimeSpan.FromHours(10)], Enumerable.Range(1, 7).Select(n => schedule.DelayAfter(n)!.Value));
        Assert.Null(schedule.DelayAfter(0));
        Assert.Null(schedule.DelayAfter(8));
    }

    [Fact]
    public void A_new_delivery_is_due_at_once_and_each_failure_waits_for_the_next_delay_until_the_schedule_ends_as_failed()
    {
        var delivery = NewDelivery();
        Assert.Equal((DeliveryStatus.Pending, Start), (delivery.Status, delivery.NextAttemptAt!.Value));
        var now = Start;
        for (var attempt = 1; attempt <= 7; attempt++)
        {
            delivery.RecordAttempt(attempt % 2 == 0 ? Refused : Unavailable, now, DeliverySchedule.Default);
            Assert.Equal(DeliveryStatus.Pending, delivery.Status);
            Assert.Equal(now + DeliverySchedule.Default.RetryDelays[attempt - 1], delivery.NextAttemptAt);
            Assert.Equal(attempt % 2 == 0 ? "Connection refused." : "The endpoint answered 503.", delivery.LastError);
            now = delivery.NextAttemptAt!.Value;
        }

        delivery.RecordAttempt(Unavailable, now, DeliverySchedule.Default);

        Assert.Equal((DeliveryStatus.Failed, 8, (DateTimeOffset?)null, 503), (delivery.Status, delivery.AttemptCount, delivery.NextAttemptAt, delivery.LastStatusCode));
        Assert.Equal("The endpoint answered 503.", delivery.LastError);
    }

    [Fact]
    public void A_2xx_succeeds_a_410_fails_at_once_and_a_redelivery_is_due_now()
    {
        var succeeded = NewDelivery();
        succeeded.RecordAttempt(Ok, Start, DeliverySchedule.Default);
        Assert.Equal((DeliveryStatus.Succeeded, (DateTimeOffset?)null, (string?)null), (succeeded.Status, succeeded.NextAttemptAt, succeeded.LastError));

        var gone = NewDelivery();
        gone.RecordAttempt(Gone, Start, DeliverySchedule.Default);
        Assert.Equal((DeliveryStatus.Failed, 1), (gone.Status, gone.AttemptCount));

        var later = Start.AddHours(3);
        gone.Redeliver(later);
        Assert.Equal((DeliveryStatus.Pending, (DateTimeOffset?)later, "msg_1"), (gone.Status, gone.NextAttemptAt, gone.MessageId));
    }

    [Fact]
    public void A_short_schedule_from_the_options_ends_after_its_last_delay()
    {
        var schedule = new DeliverySchedule([TimeSpan.FromMilliseconds(200)]);
        var delivery = NewDelivery();
        delivery.RecordAttempt(Unavailable, Start, schedule);
        Assert.Equal(Start.AddMilliseconds(200), delivery.NextAttemptAt);
        delivery.RecordAttempt(Unavailable, Start.AddMilliseconds(200), schedule);
        Assert.Equal(DeliveryStatus.Failed, delivery.Status);
    }

    [Fact]
    public void An_endpoint_failing_every_attempt_for_5_days_is_disabled_with_the_reason_and_a_success_in_between_starts_over()
    {
        var endpoint = NewEndpoint();
        Assert.False(endpoint.RecordAttempt(Unavailable, Start));
        Assert.Equal(Start, endpoint.FailingSince);
        Assert.False(endpoint.RecordAttempt(Refused, Start + DeliverySchedule.DisableAfterFailingFor - TimeSpan.FromSeconds(1)));
        Assert.Equal(WebhookEndpointStatus.Enabled, endpoint.Status);

        // A success clears the clock: five more days of failures are needed.
        Assert.False(endpoint.RecordAttempt(Ok, Start.AddDays(4.5)));
        Assert.Null(endpoint.FailingSince);
        Assert.False(endpoint.RecordAttempt(Unavailable, Start.AddDays(5)));
        Assert.Equal(WebhookEndpointStatus.Enabled, endpoint.Status);

        Assert.True(endpoint.RecordAttempt(Refused, Start.AddDays(10)));
        Assert.Equal(WebhookEndpointStatus.Disabled, endpoint.Status);
        Assert.Contains("failed since", endpoint.DisabledReason, StringComparison.Ordinal);
        Assert.Contains("Connection refused.", endpoint.DisabledReason, StringComparison.Ordinal);

        endpoint.Enable(Start.AddDays(11));
        Assert.Null(endpoint.FailingSince);
    }

    [Fact]
    public void Gone_disables_the_endpoint_at_once()
    {
        var endpoint = NewEndpoint();
        Assert.True(endpoint.RecordAttempt(Gone, Start));
        Assert.Equal(WebhookEndpointStatus.Disabled, endpoint.Status);
        Assert.Contains("410", endpoint.DisabledReason, StringComparison.Ordinal);
        // Already disabled: a later failure does not disable it again.
        Assert.False(endpoint.RecordAttempt(Gone, Start.AddSeconds(1)));
    }
}
