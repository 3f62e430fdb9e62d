using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Persistence;

namespace Platform.ServiceDefaults.Auth;

/// <summary>
/// Replaces this service's copy of the partner keys with membership's list (<c>GET /internal/partner-keys</c>, with
/// the operator key): at start, every <c>Platform:PartnerKeys:ReconcileInterval</c> (60 s) and whenever the bus
/// (re)connects the key endpoint. The events keep keys current within seconds; this makes a revocation whose event was
/// lost or parked count anyway after an outage. Runs in every service that references membership
/// (<c>services:membership</c>, Aspire's configuration contract), never in membership itself.
/// </summary>
internal sealed partial class PartnerKeyReconciler(
    IServiceScopeFactory scopes, IHttpClientFactory httpClients, IConfiguration configuration, ServiceIdentity service,
    IPartnerKeyCache cache, ILogger<PartnerKeyReconciler> logger) : BackgroundService, IReceiveEndpointObserver
{
    public const string HttpClientName = "platform-partner-keys";
    public const string SourceService = "membership";
    public const string ListPath = "/internal/partner-keys";

    /// <summary>A key issued this recently may be missing from a list read a moment earlier; it is left alone.</summary>
    private static readonly TimeSpan RecentIssue = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _wakeUp = new(0, 1);

    private TimeSpan Interval => configuration.GetValue("Platform:PartnerKeys:ReconcileInterval", TimeSpan.FromSeconds(60));

    private Uri Source => new(configuration["Platform:PartnerKeys:Source"] ?? $"https+http://{SourceService}");

    private bool Enabled => service.Name != SourceService
        && (configuration["Platform:PartnerKeys:Source"] is not null || configuration.GetSection($"services:{SourceService}").Exists());

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled) return;
        var operatorKey = configuration["Platform:OperatorKey"];
        if (string.IsNullOrEmpty(operatorKey))
        {
            LogNoOperatorKey(logger);
            return;
        }
        await Task.Yield();
        using var scope = scopes.CreateScope();
        scope.ServiceProvider.GetService<IBus>()?.ConnectReceiveEndpointObserver(this);

        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = Interval;
            try
            {
                await ReconcileAsync(operatorKey, stoppingToken);
                failures = 0;
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                failures++;
                // 2, 4, 8 … s while membership or the database is away, never longer than the interval.
                wait = TimeSpan.FromSeconds(Math.Min(Interval.TotalSeconds, Math.Pow(2, Math.Min(failures, 10))));
                LogFailed(logger, failures, wait.TotalSeconds, exception.GetType().Name, exception.Message);
            }
            try
            {
                await _wakeUp.WaitAsync(wait, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ReconcileAsync(string operatorKey, CancellationToken cancellationToken)
    {
        using var http = httpClients.CreateClient(HttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Source, ListPath));
        request.Headers.Add(ApiKeyDefaults.HeaderName, operatorKey);
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"{SourceService} answered {(int)response.StatusCode} to {ListPath}.", null, response.StatusCode);
        var list = await response.Content.ReadFromJsonAsync<PartnerKeyList>(PlatformJson.Options, cancellationToken)
            ?? throw new InvalidOperationException($"{SourceService} answered an empty key list.");

        var rows = JsonSerializer.Serialize(list.Keys.Select(k => new
        {
            api_client_id = k.ApiClientId, organization_id = k.OrganizationId, name = k.Name, key_hash = k.KeyHash, scopes = k.Scopes,
            issued_at = k.IssuedAt, expires_at = k.ExpiresAt, revoked_at = k.RevokedAt,
        }));
        var asOf = list.AsOf.ToUniversalTime();
        var recent = asOf - RecentIssue;
        Guid[] listed = [.. list.Keys.Select(k => k.ApiClientId)];

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlatformDbContext>();
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            // A revocation is final here as in the consumer: a row revoked locally stays revoked.
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO platform.partner_api_keys (api_client_id, organization_id, name, key_hash, scopes, issued_at, revoked_at, expires_at)
                SELECT k.api_client_id, k.organization_id, k.name, k.key_hash, ARRAY(SELECT jsonb_array_elements_text(k.scopes)), k.issued_at, k.revoked_at, k.expires_at
                  FROM jsonb_to_recordset({rows}::jsonb) AS k(api_client_id uuid, organization_id uuid, name text, key_hash text, scopes jsonb,
                                                               issued_at timestamptz, expires_at timestamptz, revoked_at timestamptz)
                ON CONFLICT (api_client_id) DO UPDATE
                   SET organization_id = excluded.organization_id,
                       name = excluded.name,
                       key_hash = excluded.key_hash,
                       scopes = excluded.scopes,
                       issued_at = excluded.issued_at,
                       expires_at = excluded.expires_at,
                       revoked_at = coalesce(partner_api_keys.revoked_at, excluded.revoked_at)
                """, cancellationToken);
            // Keys membership does not know (any more) stop working, unless issued after the list was read.
            await db.Database.ExecuteSqlAsync($"""
                UPDATE platform.partner_api_keys SET revoked_at = {asOf}
                 WHERE revoked_at IS NULL AND issued_at < {recent} AND NOT (api_client_id = ANY ({listed}))
                """, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        cache.Invalidate();
        LogReconciled(logger, list.Keys.Count);
    }

    private void WakeUp()
    {
        try
        {
            _wakeUp.Release();
        }
        catch (SemaphoreFullException)
        {
            // A reconcile is already due.
        }
    }

    public override void Dispose()
    {
        _wakeUp.Dispose();
        base.Dispose();
    }

    // The key endpoint (re)connected, e.g. after a broker outage: events may have been missed meanwhile.
    public Task Ready(ReceiveEndpointReady ready)
    {
        ArgumentNullException.ThrowIfNull(ready);
        if (ready.InputAddress.AbsolutePath.EndsWith("api-client-keys", StringComparison.Ordinal)) WakeUp();
        return Task.CompletedTask;
    }

    public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;

    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;

    public Task Faulted(ReceiveEndpointFaulted faulted) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Partner keys reconciled with membership's list ({Count} keys)")]
    private static partial void LogReconciled(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not reconcile the partner keys with membership (attempt {Failures}, next in {Seconds} s): {Error}: {Reason}")]
    private static partial void LogFailed(ILogger logger, int failures, double seconds, string error, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partner keys are not reconciled with membership: Platform:OperatorKey is not set")]
    private static partial void LogNoOperatorKey(ILogger logger);
}
