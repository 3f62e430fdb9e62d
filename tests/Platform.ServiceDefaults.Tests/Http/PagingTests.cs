using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.ServiceDefaults.Tests.TestApp;
using static Platform.ServiceDefaults.Tests.TestApp.ProblemAssert;

namespace Platform.ServiceDefaults.Tests.Http;

public sealed class PagingTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
    private TestApp.TestApp App => shared.App;

    private sealed record Row(Guid Id, DateTimeOffset CreatedAt);

    [Fact]
    public async Task Pages_by_id_cover_every_row_once_newest_first_while_rows_are_inserted()
    {
        var original = await InsertAsync(23, _ => DateTimeOffset.UtcNow);
        var seen = await ReadAllAsync("/api/v1/things", limit: 5, betweenPages: () => InsertAsync(2, _ => DateTimeOffset.UtcNow));

        Assert.Equal(seen.Count, seen.Select(r => r.Id).Distinct().Count());
        Assert.All(original, row => Assert.Single(seen, s => s.Id == row.Id));
        // PostgreSQL orders uuid bytewise, which is the order of their lower-case hex form (UUIDv7: creation time).
        Assert.Equal(seen.Select(r => r.Id.ToString()).OrderDescending(StringComparer.Ordinal), seen.Select(r => r.Id.ToString()));
    }

    [Fact]
    public async Task Pages_by_time_then_id_handle_ties_and_rows_inserted_on_both_sides_of_the_cursor()
    {
        var start = new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.Zero);
        // Four timestamps, six rows each: every page boundary falls inside a tie.
        var original = await InsertAsync(24, i => start.AddMinutes(i % 4));
        var inserted = 0;
        var seen = await ReadAllAsync("/api/v1/things/by-time", limit: 7, betweenPages: async () =>
        {
            inserted++;
            await InsertAsync(1, _ => start.AddHours(1));      // newer than every cursor: not on later pages
            await InsertAsync(1, _ => start.AddMinutes(-inserted)); // older than every cursor: on a later page
        });

        Assert.Equal(seen.Count, seen.Select(r => r.Id).Distinct().Count());
        Assert.All(original, row => Assert.Single(seen, s => s.Id == row.Id));
        var expectedOrder = seen.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id.ToString(), StringComparer.Ordinal);
        Assert.Equal(expectedOrder, seen);
    }

    [Fact]
    public async Task The_default_limit_is_50_and_an_empty_list_has_no_next_cursor()
    {
        await InsertAsync(51, _ => DateTimeOffset.UtcNow);
        using var client = App.Operator();
        var page = await client.GetFromJsonAsync<JsonElement>("/api/v1/things", Cancel);
        Assert.Equal(50, page.GetProperty("items").GetArrayLength());
        Assert.Equal(JsonValueKind.String, page.GetProperty("nextCursor").ValueKind);

        var partner = await App.IssuePartnerKeyAsync("pipeline:read");
        using var partnerClient = App.Client(partner.Key);
        var response = await EventuallyOkAsync(partnerClient, "/api/v1/things");
        var empty = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal(0, empty.GetProperty("items").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, empty.GetProperty("nextCursor").ValueKind);
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=201")]
    [InlineData("limit=-5")]
    [InlineData("limit=ten")]
    [InlineData("limit=1&limit=2")]
    public async Task A_limit_out_of_range_is_a_400_on_limit(string query)
    {
        using var client = App.Operator();
        using var response = await client.GetAsync($"/api/v1/things?{query}", Cancel);
        var problem = await IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["Expected an integer from 1 to 200."], Errors(problem, "limit"));
    }

    [Fact]
    public async Task A_tampered_or_foreign_cursor_is_a_400_on_cursor()
    {
        await InsertAsync(3, _ => DateTimeOffset.UtcNow);
        using var client = App.Operator();
        var byId = (await client.GetFromJsonAsync<JsonElement>("/api/v1/things?limit=1", Cancel)).GetProperty("nextCursor").GetString()!;
        var byTime = (await client.GetFromJsonAsync<JsonElement>("/api/v1/things/by-time?limit=1", Cancel)).GetProperty("nextCursor").GetString()!;
        var flipped = byId[..5] + (byId[5] == 'A' ? 'B' : 'A') + byId[6..];

        foreach (var url in new[]
                 {
                     $"/api/v1/things?cursor={flipped}", "/api/v1/things?cursor=not-a-cursor", "/api/v1/things?cursor=",
                     $"/api/v1/things?cursor={byTime}", $"/api/v1/things/by-time?cursor={byId}",
                 })
        {
            using var response = await client.GetAsync(url, Cancel);
            var problem = await IsProblemAsync(response, HttpStatusCode.BadRequest);
            Assert.Contains("cursor is not valid", Assert.Single(Errors(problem, "cursor")), StringComparison.Ordinal);
        }

        using var valid = await client.GetAsync($"/api/v1/things?cursor={byId}", Cancel);
        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
    }

    [Fact]
    public async Task Later_pages_seek_by_parameters_instead_of_skipping_rows()
    {
        await InsertAsync(3, _ => DateTimeOffset.UtcNow);
        using var client = App.Operator();
        foreach (var path in new[] { "/api/v1/things", "/api/v1/things/by-time" })
        {
            var cursor = (await client.GetFromJsonAsync<JsonElement>($"{path}?limit=1", Cancel)).GetProperty("nextCursor").GetString();
            using var next = await client.GetAsync($"{path}?limit=1&cursor={cursor}", Cancel);
            Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        }
        var sql = App.Logs.Lines.Where(l => l.Contains("Executed DbCommand", StringComparison.Ordinal) && l.Contains("FROM test_items", StringComparison.Ordinal)).ToList();
        // Index range scans on the order columns; no OFFSET; cursor values sent as parameters (one cached plan).
        Assert.Contains(sql, l => l.Contains("WHERE t.id < @after_Id", StringComparison.Ordinal));
        Assert.Contains(sql, l => l.Contains("WHERE (t.created_at, t.id) < (@after_Key, @after_Id)", StringComparison.Ordinal));
        Assert.DoesNotContain(sql, l => l.Contains("OFFSET", StringComparison.Ordinal));
    }

    private async Task<List<Row>> InsertAsync(int count, Func<int, DateTimeOffset> createdAt) =>
        await App.WithDbAsync(async db =>
        {
            var items = Enumerable.Range(0, count)
                .Select(i => new TestItem { Id = Guid.CreateVersion7(), OrganizationId = Guid.Empty, Name = $"row {i}", CreatedAt = createdAt(i) })
                .ToList();
            db.Items.AddRange(items);
            await db.SaveChangesAsync(Cancel);
            return items.Select(i => new Row(i.Id, i.CreatedAt)).ToList();
        });

    private async Task<List<Row>> ReadAllAsync(string path, int limit, Func<Task> betweenPages)
    {
        using var client = App.Operator();
        var rows = new List<Row>();
        string? cursor = null;
        for (var pages = 0; pages < 100; pages++)
        {
            var url = $"{path}?limit={limit}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
            var page = await client.GetFromJsonAsync<JsonElement>(url, Cancel);
            var items = page.GetProperty("items").EnumerateArray().ToList();
            Assert.InRange(items.Count, 0, limit);
            rows.AddRange(items.Select(i => new Row(i.GetProperty("id").GetGuid(), i.GetProperty("createdAt").GetDateTimeOffset())));
            cursor = page.GetProperty("nextCursor").GetString();
            if (cursor is null) return rows;
            Assert.Equal(limit, items.Count);
            await betweenPages();
        }
        throw new InvalidOperationException("Paging did not end.");
    }

    private static async Task<HttpResponseMessage> EventuallyOkAsync(HttpClient client, string url)
    {
        for (var attempt = 0; ; attempt++)
        {
            var response = await client.GetAsync(url, Cancel);
            if (response.StatusCode == HttpStatusCode.OK || attempt == 50) return response;
            response.Dispose();
            await Task.Delay(100, Cancel);
        }
    }
}
