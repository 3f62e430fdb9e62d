using System.Net;
using System.Text.Json;
using Platform.ServiceDefaults.Http;

namespace Platform.ServiceDefaults.Tests.TestApp;

/// <summary>Checks that a response is an RFC 9457 problem document of the platform's shape.</summary>
public static class ProblemAssert
{
    /// <param name="code">The <see cref="ProblemCode"/> expected; without it, the one the status implies.</param>
    public static async Task<JsonElement> IsProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? code = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        // One host for every problem type, whoever raised it (ours or the framework's defaults).
        Assert.StartsWith("https://www.rfc-editor.org/rfc/", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
        Assert.Matches("^[0-9a-f]{32}$", problem.GetProperty("traceId").GetString());
        // A stable code per kind of error, so a client need not parse the English detail.
        Assert.Equal(code ?? ProblemCode.ForStatus((int)status, problem.TryGetProperty("errors", out _)), problem.GetProperty("code").GetString());
        return problem;
    }

    /// <summary>The messages of one field in <c>errors</c>.</summary>
    public static IReadOnlyList<string> Errors(JsonElement problem, string field)
    {
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"No errors for '{field}' in {errors}");
        return messages.EnumerateArray().Select(m => m.GetString()!).ToList();
    }
}
