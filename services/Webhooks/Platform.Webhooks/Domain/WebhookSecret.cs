using System.Security.Cryptography;

namespace Platform.Webhooks.Domain;

/// <summary>An endpoint's signing secret in the Standard Webhooks form: <c>whsec_</c> + base64 of 24 random bytes.</summary>
public static class WebhookSecret
{
    public const string Prefix = "whsec_";

    public static string New() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));

    /// <summary>The HMAC key: the bytes after the prefix.</summary>
    public static byte[] KeyBytes(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return Convert.FromBase64String(secret.StartsWith(Prefix, StringComparison.Ordinal) ? secret[Prefix.Length..] : secret);
    }
}
