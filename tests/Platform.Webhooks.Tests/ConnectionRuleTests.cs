using Platform.Webhooks.Domain;
using Platform.Webhooks.Features.Endpoints;

namespace Platform.Webhooks.Tests;

/// <summary>The address rule holds when the connection is opened, not only at registration (a name may resolve elsewhere later).</summary>
public sealed class ConnectionRuleTests
{
    [Fact]
    public async Task Outside_development_a_delivery_never_connects_to_a_loopback_receiver_even_if_the_endpoint_says_so()
    {
        await using var receiver = await Receiver.StartAsync();
        var endpoint = WebhookEndpoint.Register(Guid.CreateVersion7(), Guid.CreateVersion7(), new Uri(receiver.BaseAddress, "/hooks").ToString(), ["*"], null, DateTimeOffset.UtcNow);
        using var sender = new WebhookSender(new WebhookTargets(new WebhookTargetOptions { AllowPrivateTargets = false }), TimeProvider.System);

        var outcome = await sender.SendAsync(endpoint, WebhookSigner.NewMessageId(), "{}", TestContext.Current.CancellationToken);

        Assert.False(outcome.Succeeded);
        Assert.Null(outcome.StatusCode);
        Assert.Contains("private network", outcome.Error, StringComparison.Ordinal);
        Assert.Empty(receiver.Requests);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("169.254.169.254", true)]
    [InlineData("100.64.0.1", true)]
    [InlineData("::ffff:10.0.0.1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("93.184.215.14", false)]
    [InlineData("2606:2800:21f:cb07:6820:80da:af6b:8b2c", false)]
    public void Internal_addresses_are_recognised(string address, bool inside) =>
        Assert.Equal(inside, WebhookTargets.IsInternal(System.Net.IPAddress.Parse(address)));
}
