using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Platform.ServiceDefaults.Auth;

namespace Platform.ServiceDefaults.Http;

/// <summary>
/// The per-key rate limit, configuration section <c>Platform:RateLimit</c>: a token bucket per API key
/// (per client IP for requests without a valid key) that refills <see cref="PermitsPerSecond"/> and holds at
/// most <see cref="Burst"/>. Over the limit → 429 problem with <c>Retry-After</c>.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "Platform:RateLimit";

    /// <summary>Sustained requests per second per key.</summary>
    public int PermitsPerSecond { get; set; } = 50;

    /// <summary>Requests a key may make at once after being idle.</summary>
    public int Burst { get; set; } = 100;
}

internal static class RateLimits
{
    public static IServiceCollection AddPerKeyRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitOptions>()
            .Bind(configuration.GetSection(RateLimitOptions.Section))
            .Validate(o => o.PermitsPerSecond > 0 && o.Burst > 0, "Platform:RateLimit PermitsPerSecond and Burst must be positive.")
            .ValidateOnStart();

        services.AddRateLimiter();
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((limiter, limits) =>
        {
            var settings = limits.Value;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                RateLimitPartition.GetTokenBucketLimiter(PartitionKey(context), _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = settings.Burst,
                    TokensPerPeriod = settings.PermitsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    AutoReplenishment = true,
                    QueueLimit = 0,
                }));
            limiter.OnRejected = (rejected, cancellationToken) =>
            {
                var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                    ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
                    : 1;
                var http = rejected.HttpContext;
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return new ValueTask(ProblemResponse.WriteAsync(http, StatusCodes.Status429TooManyRequests,
                    $"Too many requests for this API key; retry after {seconds} s."));
            };
        });
        return services;
    }

    /// <summary>The API key's caller id once authenticated; otherwise the client's address.</summary>
    private static string PartitionKey(HttpContext context) =>
        context.User.GetCaller() is { } caller
            ? caller.Id
            : "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
}
