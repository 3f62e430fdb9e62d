using System.Net;

namespace Platform.Events.Tests;

/// <summary>Every endpoint: no key → 401; a key without the endpoint's scope → 403.</summary>
public sealed class AuthTests(EventsServiceFixture fixture) : IClassFixture<EventsServiceFixture>
{
    private static readonly Guid Some = Guid.CreateVersion7();

    public static TheoryData<string, string, string> Endpoints => new()
    {
        { "POST", "/api/v1/events", "events:write" },
        { "GET", "/api/v1/events", "events:read" },
        { "GET", $"/api/v1/events/{Some}", "events:read" },
        { "POST", $"/api/v1/events/{Some}/schedule", "events:write" },
        { "POST", $"/api/v1/events/{Some}/open-registration", "events:write" },
        { "POST", $"/api/v1/events/{Some}/close-registration", "events:write" },
        { "POST", $"/api/v1/events/{Some}/hold", "events:write" },
        { "POST", $"/api/v1/events/{Some}/cancel", "events:write" },
        { "POST", $"/api/v1/events/{Some}/registrations", "events:write" },
        { "GET", $"/api/v1/events/{Some}/registrations", "events:read" },
        { "GET", $"/api/v1/events/{Some}/registrations/{Some}", "events:read" },
        { "DELETE", $"/api/v1/events/{Some}/registrations/{Some}", "events:write" },
        { "POST", $"/api/v1/events/{Some}/registrations/{Some}/check-in", "events:write" },
        { "POST", $"/api/v1/events/{Some}/outcomes/agreements", "events:write" },
        { "POST", $"/api/v1/events/{Some}/outcomes/unveilings", "events:write" },
        { "POST", $"/api/v1/events/{Some}/outcomes/council-designations", "events:write" },
        { "POST", $"/api/v1/events/{Some}/outcomes/competition-results", "events:write" },
        { "GET", $"/api/v1/agreements?consortiumId={Some}", "events:read" },
        { "GET", $"/api/v1/feed?consortiumId={Some}", "events:read" },
        { "GET", $"/api/v1/feed.atom?consortiumId={Some}", "events:read" },
        { "POST", $"/api/v1/feed/rebuild?consortiumId={Some}", "events:write" },
        { "GET", $"/api/v1/members?consortiumId={Some}", "events:read" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Without_a_key_401_and_without_the_scope_403(string method, string path, string scope)
    {
        using var anonymous = fixture.Service.ClientWithKey(null);
        using var noKey = await anonymous.SendAsync(Request(method, path), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);

        // The other events scope (and a pipeline scope) is not enough.
        var other = scope == "events:read" ? "events:write" : "events:read";
        using var partner = fixture.Service.ClientWithKey(await PartnerKeyAsync(other));
        using var wrongScope = await partner.SendAsync(Request(method, path), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, wrongScope.StatusCode);
    }

    private static readonly Dictionary<string, Task<string>> Keys = [];
    private static readonly Lock KeysLock = new();

    private Task<string> PartnerKeyAsync(string scope)
    {
        lock (KeysLock)
        {
            if (!Keys.TryGetValue(scope, out var key))
                Keys[scope] = key = fixture.Service.IssuePartnerKeyAsync(Guid.CreateVersion7(), scope, "pipeline:write");
            return key;
        }
    }

    private static HttpRequestMessage Request(string method, string path) => new(new HttpMethod(method), new Uri(path, UriKind.Relative))
    {
        Content = method is "POST" ? new StringContent("{}", System.Text.Encoding.UTF8, "application/json") : null,
    };
}
