using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Platform.Webhooks.Features.Endpoints;

/// <summary>Configuration <c>Webhooks</c>.</summary>
public sealed class WebhookTargetOptions
{
    /// <summary>
    /// Development only: allow targets in the platform's own network (loopback, private ranges) and plain http to
    /// loopback. Off in production, where a partner's URL must never reach the platform's own services.
    /// </summary>
    public bool AllowPrivateTargets { get; set; }
}

/// <summary>Which URLs a webhook may be sent to, checked when registered and again when each connection is opened (DNS rebinding).</summary>
public sealed class WebhookTargets(WebhookTargetOptions options)
{
    public bool AllowPrivateTargets => options.AllowPrivateTargets;

    /// <summary>Why <paramref name="url"/> is refused, or null when a webhook may be sent to it.</summary>
    public async Task<string?> ProblemAsync(string url, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            return "Must be an absolute https URL.";
        if (!string.IsNullOrEmpty(uri.UserInfo)) return "Must not carry a user name or password; authenticate the delivery with its signature.";
        if (!string.IsNullOrEmpty(uri.Fragment)) return "Must not carry a fragment (#...).";

        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(uri.IdnHost, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(uri.IdnHost, cancellationToken);
        }
        catch (SocketException)
        {
            return $"The host '{uri.Host}' does not resolve.";
        }
        if (addresses.Length == 0) return $"The host '{uri.Host}' does not resolve.";

        if (uri.Scheme == Uri.UriSchemeHttp && !(options.AllowPrivateTargets && addresses.All(IPAddress.IsLoopback)))
            return "Must be https (plain http only to loopback, and only when the platform runs in development).";
        if (!options.AllowPrivateTargets && addresses.FirstOrDefault(IsInternal) is { } inside)
            return $"The host resolves to {inside}, an address inside a private network (loopback, link-local, private range or metadata); webhooks go to public addresses only.";
        return null;
    }

    /// <summary>Loopback, link-local (with the cloud metadata address 169.254.169.254), private, shared, multicast or unspecified.</summary>
    public static bool IsInternal(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast)) return true;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal;
        var b = address.GetAddressBytes();
        return b[0] == 0 || b[0] == 10 || b[0] == 127 || b[0] >= 224
            || (b[0] == 169 && b[1] == 254)
            || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 100 && b[1] >= 64 && b[1] <= 127);
    }

    /// <summary>Opens a connection only to an address the rules allow, whatever the name resolves to now.</summary>
    internal async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
        var allowed = addresses.Where(a => options.AllowPrivateTargets || !IsInternal(a)).ToArray();
        if (allowed.Length == 0) throw new HttpRequestException($"{context.DnsEndPoint.Host} resolves only to addresses inside a private network.");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>Sends one signed delivery: 10 s timeout, no redirects followed, at most 64 KB of the answer read.</summary>
public sealed class WebhookSender : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    public const int MaxResponseBytes = 64 * 1024;
    private const int SnippetLength = 1000;

    private readonly HttpClient _client;
    private readonly TimeProvider _time;

    public WebhookSender(WebhookTargets targets, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(targets);
        _time = time;
        // Its own client: the platform's default HTTP resilience (retries, redirects) must not apply to partner URLs.
        _client = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            ConnectCallback = targets.ConnectAsync,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        }) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    /// <summary>Sends now (the test action).</summary>
    public Task<AttemptOutcome> SendAsync(WebhookEndpoint endpoint, string messageId, string body, CancellationToken cancellationToken) =>
        SendAsync(endpoint, messageId, body, _time.GetUtcNow(), cancellationToken);

    /// <summary>
    /// Sends <paramref name="body"/> as it is (the same bytes on every attempt), signed at <paramref name="attemptTime"/> with the
    /// endpoint's active secrets. Only 2xx succeeds; a redirect is a failure and is not followed. Throws only when
    /// <paramref name="cancellationToken"/> is cancelled (the service stops).
    /// </summary>
    public async Task<AttemptOutcome> SendAsync(WebhookEndpoint endpoint, string messageId, string body, DateTimeOffset attemptTime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var signature = WebhookSigner.Sign(messageId, attemptTime, body, endpoint.SigningSecrets(attemptTime));
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(WebhookSignature.IdHeader, signature.Id);
        request.Headers.Add(WebhookSignature.TimestampHeader, signature.Timestamp);
        request.Headers.Add(WebhookSignature.SignatureHeader, signature.Signature);
        request.Headers.UserAgent.ParseAdd("ConsortiumPlatform-Webhooks/1.0");

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            var snippet = await ReadSnippetAsync(response, timeout.Token);
            var succeeded = status is >= 200 and < 300;
            // A redirect is not followed (it could lead inside the platform's network): say so, the receiver must answer at the registered URL.
            var error = status is >= 300 and < 400
                ? $"The endpoint answered {status} (redirect to '{response.Headers.Location}'); redirects are not followed, register the final URL."
                : null;
            return new AttemptOutcome(succeeded, status, Stopwatch.GetElapsedTime(started), error, snippet);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Failed(started, $"No answer within {Timeout.TotalSeconds:0} s.");
        }
        catch (HttpRequestException e)
        {
            return Failed(started, e.Message);
        }
        catch (IOException e)
        {
            // The connection dropped while the answer was read.
            return Failed(started, e.Message);
        }
    }

    private static AttemptOutcome Failed(long started, string error) => new(false, null, Stopwatch.GetElapsedTime(started), error, null);

    private static async Task<string?> ReadSnippetAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxResponseBytes];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0) read += n;
        if (read == 0) return null;
        var text = Encoding.UTF8.GetString(buffer, 0, read);
        return text.Length <= SnippetLength ? text : text[..SnippetLength];
    }

    public void Dispose() => _client.Dispose();
}

public static class WebhookTargetsExtensions
{
    public static WebApplicationBuilder AddWebhookTargets(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Configuration.GetSection("Webhooks").Get<WebhookTargetOptions>() ?? new WebhookTargetOptions();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<WebhookTargets>();
        builder.Services.AddSingleton<WebhookSender>();
        return builder;
    }
}
