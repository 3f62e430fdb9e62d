using System.Globalization;
using Microsoft.Net.Http.Headers;

namespace Platform.Dashboard.Features.Reports;

/// <summary>
/// <c>GET /api/reports/annual?consortiumId=&amp;year=</c>: the annual report as JSON (the figures), printable HTML or PDF,
/// by <c>Accept</c> or <c>format=json|html|pdf</c> (for links). Text in the request's UI culture (en or zh-CN).
/// </summary>
public static class AnnualReportEndpoints
{
    public const string Json = "application/json";
    public const string Html = "text/html";
    public const string Pdf = "application/pdf";

    public static IEndpointRouteBuilder MapReports(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/api/reports").WithTags("Reports").MapGet("/annual", AnnualAsync)
            .WithName("getAnnualReport").WithSummary("A consortium's annual quality report for one year: JSON, printable HTML or PDF.");
        return endpoints;
    }

    private static async Task<Results<Ok<AnnualReport>, ContentHttpResult, FileContentHttpResult, ValidationProblem, ProblemHttpResult>> AnnualAsync(
        HttpContext context, AnnualReportSources sources, ChromiumPdf chromium, TimeProvider time, string? consortiumId, string? year, string? format,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var errors = new List<(string, string)>();
        if (string.IsNullOrWhiteSpace(consortiumId)) errors.Add(("consortiumId", "Required: the consortium's id (a GUID)."));
        else if (!Guid.TryParseExact(consortiumId, "D", out _)) errors.Add(("consortiumId", "Must be a consortium id (a GUID such as 0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b)."));
        var lastYear = now.Year + 1;
        if (string.IsNullOrWhiteSpace(year)) errors.Add(("year", "Required: a year such as 2025."));
        else if (!int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out var y) || y < 2000 || y > lastYear)
            errors.Add(("year", $"Must be a year from 2000 to {lastYear}."));
        var media = format switch
        {
            null or "" => FromAccept(context.Request),
            "json" => Json,
            "html" => Html,
            "pdf" => Pdf,
            _ => null,
        };
        if (media is null) errors.Add(("format", "Must be json, html or pdf."));
        if (errors.Count > 0) return Problems.Validation([.. errors]);

        var id = Guid.ParseExact(consortiumId!, "D");
        var reportYear = int.Parse(year!, NumberStyles.None, CultureInfo.InvariantCulture);
        var text = new AnnualReportText(CultureInfo.CurrentUICulture);
        var read = await sources.ReadAsync(id, reportYear, text.Language, cancellationToken);
        if (read.NotFound) return Problems.NotFound("No consortium with this id.");
        if (read.Answers is not { } answers) return Problems.Status(StatusCodes.Status503ServiceUnavailable, $"The report cannot be made now: {read.Problem}");

        var report = AnnualReportFigures.Compute(answers, reportYear, now);
        context.Response.Headers.Vary = "Accept, Accept-Language, Cookie";
        if (media == Json) return TypedResults.Ok(report);
        var html = AnnualReportHtml.Render(report, text);
        if (media == Html) return TypedResults.Content(html, "text/html; charset=utf-8");
        var (pdf, problem) = await chromium.PrintAsync(html, cancellationToken);
        if (pdf is null) return Problems.Status(StatusCodes.Status503ServiceUnavailable, problem!);
        return TypedResults.File(pdf, Pdf, $"annual-report-{reportYear}.pdf");
    }

    /// <summary>The best of JSON, HTML and PDF the <c>Accept</c> header asks for (JSON when it asks for none of them, or for anything).</summary>
    private static string? FromAccept(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted) || accepted.Count == 0) return Json;
        foreach (var type in accepted.Where(a => a.Quality is not 0).OrderByDescending(a => a.Quality ?? 1))
        {
            var name = type.MediaType.Value;
            if (string.Equals(name, Html, StringComparison.OrdinalIgnoreCase)) return Html;
            if (string.Equals(name, Pdf, StringComparison.OrdinalIgnoreCase)) return Pdf;
            if (string.Equals(name, Json, StringComparison.OrdinalIgnoreCase) || name is "*/*" or "application/*") return Json;
        }
        return Json;
    }
}
