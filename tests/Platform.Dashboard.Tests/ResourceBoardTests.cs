extern alias dashboard;
using System.Net;
using System.Text;
using dashboard::Platform.Dashboard.Features.Links;
using dashboard::Platform.Dashboard.Features.Messaging;
using dashboard::Platform.Dashboard.Features.Resources;
using Microsoft.Extensions.Configuration;

namespace Platform.Dashboard.Tests;

/// <summary>The Resources view's states from the services' health endpoints, and since when; the Aspire dashboard setting.</summary>
public sealed class ResourceBoardTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2025, 9, 1, 8, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    /// <summary>Answers every request with what <see cref="Answer"/> says for its path (null: connection refused).</summary>
    private sealed class Services : HttpMessageHandler, IHttpClientFactory
    {
        public Func<string, (HttpStatusCode Status, string Body)?> Answer { get; set; } = _ => (HttpStatusCode.OK, """{"status":"healthy","checks":[]}""");

        public HttpClient CreateClient(string name) => new(this, disposeHandler: false);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Answer(request.RequestUri!.AbsolutePath) is { } answer
                ? Task.FromResult(new HttpResponseMessage(answer.Status) { Content = new StringContent(answer.Body, Encoding.UTF8, "application/json") })
                : throw new HttpRequestException("Connection refused (127.0.0.1:1)");
    }

    private static (ResourceBoard Board, Services Http, Clock Clock) Board()
    {
        var http = new Services();
        var clock = new Clock();
        var watched = new Watched(new Dictionary<string, Uri> { ["membership"] = new("http://127.0.0.1:5101") });
        return (new ResourceBoard(watched, new BrokerSettings(null, null, "guest", "guest"), http, clock), http, clock);
    }

    private static async Task<ResourceView> MembershipAsync(ResourceBoard board) => (await board.ReportAsync(Cancel)).Resources.Single(r => r.Name == "membership");

    [Fact]
    public async Task A_state_counts_from_the_check_that_saw_it_change()
    {
        var (board, http, clock) = Board();
        var first = await MembershipAsync(board);
        Assert.Equal(("ready", true, true, true), (first.State, first.Live, first.Ready, first.SinceFirstCheck));
        Assert.Equal(clock.Now, first.Since);

        clock.Now += TimeSpan.FromMinutes(5);
        var still = await MembershipAsync(board);
        Assert.Equal((first.Since, 300d, true), (still.Since, still.ForSeconds, still.SinceFirstCheck));

        // The database goes away: live, not ready, and why.
        http.Answer = path => path == "/health/ready"
            ? (HttpStatusCode.ServiceUnavailable, """{"status":"unhealthy","checks":[{"name":"database","status":"unhealthy","description":"connection refused"},{"name":"outbox","status":"healthy"}]}""")
            : (HttpStatusCode.OK, """{"status":"healthy","checks":[]}""");
        clock.Now += TimeSpan.FromMinutes(1);
        var down = await MembershipAsync(board);
        Assert.Equal(("not ready", true, false, false), (down.State, down.Live, down.Ready, down.SinceFirstCheck));
        Assert.Equal(clock.Now, down.Since);
        Assert.Equal("unhealthy: database unhealthy (connection refused)", down.Reason);
        Assert.Equal(["database", "outbox"], down.Checks.Select(c => c.Name));

        // The process is gone.
        http.Answer = _ => null;
        clock.Now += TimeSpan.FromSeconds(30);
        var gone = await MembershipAsync(board);
        Assert.Equal(("unreachable", false, false), (gone.State, gone.Live, gone.Ready));
        Assert.Null(gone.ReadyMs);
        Assert.Contains("Connection refused", gone.Reason, StringComparison.Ordinal);
        Assert.Equal(clock.Now, gone.Since);
    }

    [Fact]
    public async Task A_service_that_answers_but_is_not_live_says_so()
    {
        var (board, http, _) = Board();
        http.Answer = path => path == "/health/live" ? (HttpStatusCode.ServiceUnavailable, "Unhealthy") : (HttpStatusCode.OK, "Healthy");
        var view = await MembershipAsync(board);
        Assert.Equal(("not live", false, true), (view.State, view.Live, view.Ready));
        Assert.StartsWith("/health/live answered 503", view.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"status":"degraded","checks":[{"name":"outbox","status":"degraded","description":"12 waiting"}]}""", 200, "degraded", 1)]
    [InlineData("Healthy", 200, "healthy", 0)]
    [InlineData("Unhealthy", 503, "unhealthy", 0)]
    [InlineData("<html>gateway</html>", 502, "unhealthy", 0)]
    public void A_readiness_answer_is_read_as_json_or_as_asp_net_cores_plain_text(string body, int status, string expected, int checks)
    {
        var report = ResourceBoard.ParseReadiness(body, status);
        Assert.Equal((true, expected, checks), (report.Answered, report.Status, report.Checks.Count));
    }

    [Theory]
    [InlineData("http://127.0.0.1:18888", "http://127.0.0.1:18888")]
    [InlineData("https://localhost:17000/", "https://localhost:17000")]
    [InlineData("http://127.0.0.1:18888/?t=token", "http://127.0.0.1:18888")]
    [InlineData("", null)]
    [InlineData("javascript:alert(1)", null)]
    [InlineData("127.0.0.1:18888", null)]
    public void The_aspire_dashboard_url_is_an_http_base_url_or_nothing(string setting, string? expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Dashboard:AspireDashboard:Url"] = setting }).Build();
        Assert.Equal(expected, AspireDashboard.FromConfiguration(configuration).Url);
    }
}
