using Microsoft.AspNetCore.Http;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace Platform.Webhooks.Tests;

/// <summary>A receiver's check with the StandardWebhooks library (NuGet 1.1.2).</summary>
public static class Verification
{
    /// <summary>
    /// Verifies as a spec-following receiver does: any of the space-separated signatures may match. StandardWebhooks
    /// 1.1.2 looks only at the first one in the header, so during a rotation each signature is handed to it alone.
    /// </summary>
    public static void VerifyAnySignature(string secret, string body, IHeaderDictionary headers)
    {
        var signatures = headers["webhook-signature"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        foreach (var signature in signatures)
        {
            var single = new HeaderDictionary(headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase)) { ["webhook-signature"] = signature };
            try
            {
                new StandardWebhook(secret).Verify(body, single);
                return;
            }
            catch (WebhookVerificationException)
            {
                // try the next signature
            }
        }
        throw new WebhookVerificationException($"None of the {signatures.Length} signature(s) matches the secret.");
    }
}
