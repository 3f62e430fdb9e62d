using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Platform.Webhooks.Domain;

/// <summary>The three headers of a Standard Webhooks v1.0 delivery.</summary>
public sealed record WebhookSignature(string Id, string Timestamp, string Signature)
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";
}

/// <summary>
/// Signs a delivery: <c>v1,</c> + base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}")) for each active secret,
/// space-separated, so a receiver still holding the previous secret verifies during a rotation.
/// </summary>
public static class WebhookSigner
{
    public static WebhookSignature Sign(string messageId, DateTimeOffset at, string body, IEnumerable<string> secrets)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(secrets);
        var timestamp = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var content = Encoding.UTF8.GetBytes($"{messageId}.{timestamp}.{body}");
        var signatures = secrets.Select(secret => "v1," + Convert.ToBase64String(HMACSHA256.HashData(WebhookSecret.KeyBytes(secret), content))).ToList();
        if (signatures.Count == 0) throw new ArgumentException("At least one secret is needed to sign.", nameof(secrets));
        return new WebhookSignature(messageId, timestamp, string.Join(' ', signatures));
    }

    /// <summary>A new message id; the receiver's idempotency key, kept across retries of the same message.</summary>
    public static string NewMessageId() => "msg_" + Guid.CreateVersion7().ToString("N", CultureInfo.InvariantCulture);
}
