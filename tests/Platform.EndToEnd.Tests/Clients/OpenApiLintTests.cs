using System.Diagnostics;
using System.Text.Json;

namespace Platform.EndToEnd.Tests.Clients;

/// <summary>The published documents pass redocly lint (recommended rules) as partners' tooling runs it.</summary>
public sealed class OpenApiLintTests
{
    public static TheoryData<string> Services => new(PublishedDocuments.Services);

    [Theory]
    [MemberData(nameof(Services))]
    public async Task The_published_document_passes_redocly_lint_with_no_errors_and_no_operationId_warnings(string service)
    {
        var lint = Path.Combine(PublishedDocuments.RepositoryRoot, "tools", "openapi-lint");
        var redocly = Path.Combine(lint, "node_modules", ".bin", "redocly");
        Assert.True(File.Exists(redocly), $"{redocly} is missing: run `npm ci --prefix tools/openapi-lint` (.ci/run does).");

        var start = new ProcessStartInfo(redocly, ["lint", "--config", Path.Combine(lint, "redocly.yaml"), "--format=json", PublishedDocuments.PathOf(service)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = lint,
        };
        // Offline and quiet: no telemetry, no update check.
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        var json = await output;
        Assert.True(json.TrimStart().StartsWith('{'), $"redocly exited {process.ExitCode} without a JSON report: {await errors}");

        using var report = JsonDocument.Parse(json);
        var problems = report.RootElement.GetProperty("problems").EnumerateArray()
            .Select(p => (Rule: p.GetProperty("ruleId").GetString()!, Severity: p.GetProperty("severity").GetString()!, Message: p.GetProperty("message").GetString()!,
                Where: p.GetProperty("location")[0].GetProperty("pointer").GetString()))
            .ToList();
        var failing = problems.Where(p => p.Severity == "error" || p.Rule.StartsWith("operation-operationId", StringComparison.Ordinal)).ToList();
        Assert.True(failing.Count == 0,
            $"docs/openapi/{service}.json: {failing.Count} lint problems that fail partners' clients:\n"
            + string.Join("\n", failing.Take(30).Select(p => $"  {p.Severity} {p.Rule} at {p.Where}: {p.Message}"))
            + (failing.Count > 30 ? $"\n  … and {failing.Count - 30} more" : ""));
    }
}
