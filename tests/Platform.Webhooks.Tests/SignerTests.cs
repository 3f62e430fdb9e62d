using Microsoft.AspNetCore.Http;
using Platform.Webhooks.Domain;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace Platform.Webhooks.Tests;

/// <summary>What a partner's receiver checks with the off-the-shelf Standard Webhooks library.</summary>
public sealed class SignerTests
{
    private const string Body = """{"type":"program.launched","timestamp":"2026-11-30T04:00:00+00:00","data":{"programId":"0193a1c2-0000-7000-8000-000000000001"}}""";

    private static HeaderDictionary Headers(WebhookSignature signature) => new()
    {
        [WebhookSignature.IdHeader] = signature.Id,
        [WebhookSignature.TimestampHeader] = signature.Timestamp,
        [WebhookSignature.SignatureHeader] = signature.Signature,
    };

    [Fact]
    public void A_secret_is_whsec_and_24_random_bytes_in_base64()
    {
        var secret = WebhookSecret.New();
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(24, WebhookSecret.KeyBytes(secret).Length);
        Assert.NotEqual(secret, WebhookSecret.New());
    }

    [Fact]
    public void A_signed_delivery_verifies_with_the_StandardWebhooks_library_and_a_changed_body_does_not()
    {
        var secret = WebhookSecret.New();
        var signature = WebhookSigner.Sign(WebhookSigner.NewMessageId(), DateTimeOffset.UtcNow, Body, [secret]);

        Assert.StartsWith("v1,", signature.Signature, StringComparison.Ordinal);
        new StandardWebhook(secret).Verify(Body, Headers(signature));
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(secret).Verify(Body.Replace("launched", "cancelled", StringComparison.Ordinal), Headers(signature)));
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(WebhookSecret.New()).Verify(Body, Headers(signature)));
    }

    [Fact]
    public void The_timestamp_is_unix_seconds_and_the_signature_matches_the_librarys_own()
    {
        var secret = WebhookSecret.New();
        var at = new DateTimeOffset(2026, 11, 30, 4, 0, 0, TimeSpan.Zero);
        var signature = WebhookSigner.Sign("msg_1", at, Body, [secret]);
        Assert.Equal(at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), signature.Timestamp);
        Assert.Equal(new StandardWebhook(secret).Sign("msg_1", at, Body), signature.Signature);
    }

    [Fact]
    public void During_a_rotation_both_signatures_are_sent_and_each_secret_verifies_on_its_own()
    {
        var now = DateTimeOffset.UtcNow;
        var endpoint = WebhookEndpoint.Register(Guid.CreateVersion7(), Guid.CreateVersion7(), "https://partner.example/hooks", ["*"], null, now);
        var old = endpoint.Secret;
        var current = endpoint.RotateSecret(now);

        var signature = WebhookSigner.Sign(WebhookSigner.NewMessageId(), now, Body, endpoint.SigningSecrets(now));

        Assert.Equal(2, signature.Signature.Split(' ').Length);
        // The current secret's signature comes first: the library as it is (first signature only) verifies it.
        new StandardWebhook(current).Verify(Body, Headers(signature));
        Verification.VerifyAnySignature(old, Body, Headers(signature));
        Assert.Throws<WebhookVerificationException>(() => Verification.VerifyAnySignature(WebhookSecret.New(), Body, Headers(signature)));
        // A day later the replaced secret no longer signs.
        Assert.Equal([current], endpoint.SigningSecrets(now + WebhookEndpoint.PreviousSecretLifetime + TimeSpan.FromSeconds(1)));
    }
}
