using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using Platform.ServiceDefaults.Auth;
using Platform.ServiceDefaults.Persistence;

namespace Platform.ServiceDefaults.Http;

/// <summary>Configuration section <c>Platform:Idempotency</c>.</summary>
public sealed class IdempotencyOptions
{
    public const string Section = "Platform:Idempotency";

    /// <summary>
    /// How long a claim on a key lasts without being renewed. A running request renews its claim every third of this,
    /// so a slow one keeps it; a claim whose process died expires within this, and a repeat then runs the request
    /// again (until then a repeat gets 409 <c>requestInFlight</c>).
    /// </summary>
    public TimeSpan LockDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a stored response is replayed; older keys are deleted.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often expired keys are deleted.</summary>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>
/// <c>Idempotency-Key</c> on POST (API.md "Idempotency"), keyed per caller in <c>platform.idempotent_requests</c>.
/// The first request claims the key (a row with no status, locked for <see cref="IdempotencyOptions.LockDuration"/>
/// and renewed while it runs, so a claim outlives its process by at most that) and its response is stored. A repeat
/// with the same key and the same method, path and body gets the stored response with <c>Idempotency-Replayed: true</c>;
/// with another body → 422; while the first is still running → 409. Only a success (below 400) is stored: after a
/// 4xx, a 5xx or an exception the key is released so a retry runs again.
/// The bookkeeping uses its own DbContext, so it never mixes with the handler's unit of work.
/// </summary>
internal sealed partial class IdempotencyMiddleware(
    RequestDelegate next, IServiceScopeFactory scopes, TimeProvider time, IOptions<IdempotencyOptions> options, ILogger<IdempotencyMiddleware> logger)
{
    public const string HeaderName = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotency-Replayed";
    public const int MaxKeyLength = 200; // the key column's length

    private abstract record Claim;
    private sealed record Claimed : Claim;
    private sealed record Completed(IdempotentRequest Request) : Claim;
    private sealed record OtherBody : Claim;
    private sealed record InFlight : Claim;

    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method)
            || context.GetEndpoint() is null
            || !context.Request.Headers.TryGetValue(HeaderName, out var values)
            || context.User.GetCaller() is not { } caller)
        {
            // Anonymous POSTs have no caller to scope keys by; the platform has none.
            await next(context);
            return;
        }

        var key = values.Count == 1 ? values[0] : null;
        if (key is null || key.Length is 0 or > MaxKeyLength || key.Any(c => c is < '!' or > '~'))
        {
            await ProblemResponse.WriteAsync(context, StatusCodes.Status400BadRequest,
                $"The Idempotency-Key header must be one value of 1 to {MaxKeyLength} visible ASCII characters.",
                new Dictionary<string, string[]> { [HeaderName] = [$"Expected 1 to {MaxKeyLength} visible ASCII characters, e.g. a UUID."] });
            return;
        }

        var requestHash = await HashRequestAsync(context.Request, context.RequestAborted);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlatformDbContext>();

        switch (await ClaimAsync(db, caller.Id, key, requestHash, context.RequestAborted))
        {
            case Completed { Request: var stored }:
                await ReplayAsync(context, stored);
                return;
            case OtherBody:
                await ProblemResponse.WriteAsync(context, StatusCodes.Status422UnprocessableEntity,
                    "This Idempotency-Key was already used with a different request. Use a new key for a new request.",
                    code: ProblemCode.IdempotencyKeyReused);
                return;
            case InFlight:
                context.Response.Headers.RetryAfter = "1";
                await ProblemResponse.WriteAsync(context, StatusCodes.Status409Conflict,
                    "A request with this Idempotency-Key is still being processed. Retry shortly to get its response.",
                    code: ProblemCode.RequestInFlight);
                return;
        }

        await RunAndStoreAsync(context, db, caller.Id, key);
    }

    private async Task RunAndStoreAsync(HttpContext context, PlatformDbContext db, string caller, string key)
    {
        var originalBody = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        var stored = false;
        using var finished = new CancellationTokenSource();
        var renewing = RenewClaimAsync(caller, key, finished.Token);
        try
        {
            try
            {
                await next(context);
            }
            finally
            {
                await finished.CancelAsync();
                await renewing;
            }

            var response = context.Response;
            // A 4xx changed nothing (handlers refuse before they write) and may pass later, e.g. once a member has
            // replicated: a repeat is judged again, like a 5xx, instead of replaying the refusal for a day.
            if (response.StatusCode < 400)
            {
                var location = response.Headers.Location.Count == 0 ? null : response.Headers.Location.ToString();
                // Stored even if the client has gone: its retry should get this answer, not run the request again.
                await db.Database.ExecuteSqlAsync($"""
                    UPDATE platform.idempotent_requests
                       SET status_code = {response.StatusCode}, response_body = {buffer.ToArray()},
                           response_content_type = {response.ContentType}, response_location = {location}
                     WHERE caller = {caller} AND key = {key} AND status_code IS NULL
                    """, CancellationToken.None);
                stored = true;
            }
        }
        finally
        {
            context.Response.Body = originalBody;
            if (!stored) await ReleaseAsync(db, caller, key);
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(originalBody, context.RequestAborted);
    }

    /// <summary>Extends the claim every third of the lock while the request runs; stops when <paramref name="finished"/> fires.</summary>
    private async Task RenewClaimAsync(string caller, string key, CancellationToken finished)
    {
        var every = options.Value.LockDuration / 3;
        try
        {
            while (true)
            {
                await Task.Delay(every, time, finished);
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var db = scope.ServiceProvider.GetRequiredService<PlatformDbContext>();
                    var lockedUntil = time.GetUtcNow() + options.Value.LockDuration;
                    await db.Database.ExecuteSqlAsync($"""
                        UPDATE platform.idempotent_requests SET locked_until = {lockedUntil}
                         WHERE caller = {caller} AND key = {key} AND status_code IS NULL
                        """, finished);
                }
                catch (Exception exception) when (exception is DbUpdateException or InvalidOperationException or Npgsql.NpgsqlException)
                {
                    // The next renewal may get through; if none does, a repeat may run the request again after the lock.
                    LogRenewalFailed(logger, exception);
                }
            }
        }
        catch (OperationCanceledException) when (finished.IsCancellationRequested)
        {
        }
    }

    private async Task<Claim> ClaimAsync(PlatformDbContext db, string caller, string key, string requestHash, CancellationToken cancellationToken)
    {
        // Three rounds cover the races: the row vanishes (released after a 5xx) or an abandoned claim is taken by another retry.
        for (var attempt = 0; ; attempt++)
        {
            var now = time.GetUtcNow();
            var lockedUntil = now + options.Value.LockDuration;
            var inserted = await db.Database.ExecuteSqlAsync($"""
                INSERT INTO platform.idempotent_requests (caller, key, request_hash, created_at, locked_until)
                VALUES ({caller}, {key}, {requestHash}, {now}, {lockedUntil})
                ON CONFLICT (caller, key) DO NOTHING
                """, cancellationToken);
            if (inserted == 1) return new Claimed();

            var existing = await db.IdempotentRequests.AsNoTracking()
                .SingleOrDefaultAsync(r => r.Caller == caller && r.Key == key, cancellationToken);
            if (existing is not null)
            {
                if (existing.RequestHash != requestHash) return new OtherBody();
                if (existing.StatusCode is not null) return new Completed(existing);
                if (existing.LockedUntil > now) return new InFlight();

                var takenOver = await db.Database.ExecuteSqlAsync($"""
                    UPDATE platform.idempotent_requests SET locked_until = {lockedUntil}
                     WHERE caller = {caller} AND key = {key} AND status_code IS NULL AND locked_until <= {now}
                    """, cancellationToken);
                if (takenOver == 1)
                {
                    LogTakenOver(logger, caller);
                    return new Claimed();
                }
            }
            if (attempt == 2) return new InFlight();
        }
    }

    private async Task ReleaseAsync(PlatformDbContext db, string caller, string key)
    {
        try
        {
            await db.Database.ExecuteSqlAsync(
                $"DELETE FROM platform.idempotent_requests WHERE caller = {caller} AND key = {key} AND status_code IS NULL",
                CancellationToken.None);
        }
        catch (Exception exception) when (exception is DbUpdateException or InvalidOperationException or Npgsql.NpgsqlException)
        {
            // The claim then expires after LockDuration and a retry takes it over.
            LogReleaseFailed(logger, exception);
        }
    }

    private static async Task ReplayAsync(HttpContext context, IdempotentRequest stored)
    {
        var response = context.Response;
        response.StatusCode = stored.StatusCode!.Value;
        if (stored.ResponseContentType is { Length: > 0 } contentType) response.ContentType = contentType;
        if (stored.ResponseLocation is { Length: > 0 } location) response.Headers.Location = location;
        response.Headers[ReplayedHeader] = "true";
        if (stored.ResponseBody is { Length: > 0 } body)
        {
            response.ContentLength = body.Length;
            await response.Body.WriteAsync(body, context.RequestAborted);
        }
    }

    /// <summary>SHA-256 of method, path, query and body: "the same request" means all four are equal.</summary>
    internal static async Task<string> HashRequestAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        request.EnableBuffering();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method}\n{request.Path}{request.QueryString}\n"));
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            hash.AppendData(chunk, 0, read);
        request.Body.Position = 0;
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Took over an abandoned Idempotency-Key claim of caller {Caller}; its first request did not finish")]
    private static partial void LogTakenOver(ILogger logger, string caller);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew an Idempotency-Key claim")]
    private static partial void LogRenewalFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not release an Idempotency-Key claim; it expires on its own")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception);
}

/// <summary>Deletes idempotency keys older than <see cref="IdempotencyOptions.Retention"/>, every <see cref="IdempotencyOptions.CleanupInterval"/>.</summary>
internal sealed partial class IdempotencyCleanup(
    IServiceScopeFactory scopes, TimeProvider time, IOptions<IdempotencyOptions> options, ILogger<IdempotencyCleanup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CleanupInterval, time);
        do
        {
            try
            {
                var deleted = await DeleteExpiredAsync(stoppingToken);
                if (deleted > 0) LogDeleted(logger, deleted);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Next round retries; a failed cleanup only leaves rows a little longer.
                LogFailed(logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    internal async Task<int> DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        // Housekeeping, not traced: it would start a trace every interval.
        using var untraced = SuppressInstrumentationScope.Begin();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetService<PlatformDbContext>();
        if (db is null) return 0; // no service database registered: nothing to clean
        var cutoff = time.GetUtcNow() - options.Value.Retention;
        return await db.Database.ExecuteSqlAsync($"DELETE FROM platform.idempotent_requests WHERE created_at < {cutoff}", cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} expired idempotency keys")]
    private static partial void LogDeleted(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleting expired idempotency keys failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}

internal static class IdempotencyRegistration
{
    public static IServiceCollection AddIdempotency(this IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        services.AddOptions<IdempotencyOptions>()
            .Bind(configuration.GetSection(IdempotencyOptions.Section))
            .Validate(o => o.LockDuration > TimeSpan.Zero && o.Retention > o.LockDuration && o.CleanupInterval > TimeSpan.Zero,
                "Platform:Idempotency: LockDuration, Retention and CleanupInterval must be positive, Retention longer than LockDuration.");
        services.AddHostedService<IdempotencyCleanup>();
        return services;
    }
}
