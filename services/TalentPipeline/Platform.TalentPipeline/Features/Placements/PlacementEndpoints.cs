using System.Net.Mime;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Platform.TalentPipeline.Features.Placements;

public static class PlacementEndpoints
{
    public const string Tag = "Placements";
    public const string CsvMediaType = "text/csv";

    public static IEndpointRouteBuilder MapPlacements(this IEndpointRouteBuilder api)
    {
        // Three roots (placement-events, trainees, data-quality), one tag.
        api.MapPost("/placement-events", SubmitJsonAsync).WithName("recordPlacementEvents").WithTags(Tag).RequireScope(Scopes.PipelineWrite)
            .AddOpenApiOperationTransformer(DescribeOneEventOrBatchAsync)
            .WithSummary("Push one placement event, or { events: [...] } (at most 1,000); each is answered accepted, duplicate or rejected with reasons.");
        api.MapPost("/placement-events/csv", SubmitCsvAsync).WithName("importPlacementEventsCsv").WithTags(Tag).RequireScope(Scopes.PipelineWrite)
            .Accepts<string>(CsvMediaType)
            .AddOpenApiOperationTransformer(DescribeCsvBody)
            .WithSummary("Push placement events as CSV (header eventId,collegeId,programId,traineeRef,type,occurredAt,enterpriseId); a per-row report with line numbers.");
        api.MapGet("/trainees/{collegeId:guid}/{traineeRef}", GetTraineeAsync).WithName("getTrainee").WithTags(Tag).RequireScope(Scopes.PipelineRead)
            .WithSummary("A trainee's current stage and history.");
        api.MapGet("/data-quality", GetDataQualityAsync).WithName("getDataQuality").WithTags(Tag).RequireScope(Scopes.PipelineRead)
            .WithSummary("Accepted events flagged as impossible sequences, per college.");
        return api;
    }

    /// <summary>The body is read as JSON by the framework (malformed JSON, a wrong content type → 400/415), then event by event.</summary>
    private static async Task<Results<Ok<PlacementReport>, ValidationProblem>> SubmitJsonAsync([FromBody] JsonElement body, Caller caller,
        PlacementIngestion ingestion, CancellationToken cancellationToken)
    {
        var (candidates, error) = PlacementReading.FromSubmission(body);
        if (error is { } invalid) return Problems.Validation(invalid);
        return TypedResults.Ok(PlacementReport.Of(await ingestion.IngestAsync(candidates, caller, cancellationToken)));
    }

    private static async Task<Results<Ok<PlacementReport>, ValidationProblem, ProblemHttpResult>> SubmitCsvAsync(
        HttpRequest request, Caller caller, PlacementIngestion ingestion, CancellationToken cancellationToken)
    {
        // The body is not bound (it is not JSON), so the content type is checked here; the charset was checked before (RequestGuard).
        if (!MediaTypeIsCsv(request.ContentType))
            return Problems.Status(StatusCodes.Status415UnsupportedMediaType, $"Send the file as {CsvMediaType} (UTF-8); JSON goes to /placement-events.");
        string text;
        try
        {
            using var reader = new StreamReader(request.Body, new UTF8Encoding(false, throwOnInvalidBytes: true));
            text = await reader.ReadToEndAsync(cancellationToken);
        }
        catch (DecoderFallbackException)
        {
            return Problems.Validation(("body", "The file is not UTF-8 text. Nothing was imported."));
        }

        var read = PlacementCsv.Read(text);
        if (read.Error is { } error) return Problems.Validation(("body", error + " Nothing was imported."));
        return TypedResults.Ok(PlacementReport.Of(await ingestion.IngestAsync(read.Candidates, caller, cancellationToken)));
    }

    private static bool MediaTypeIsCsv(string? contentType) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media)
        && string.Equals(media.MediaType.Value, CsvMediaType, StringComparison.OrdinalIgnoreCase);

    private static async Task<Results<Ok<TraineeResponse>, ProblemHttpResult>> GetTraineeAsync(Guid collegeId, string traineeRef, Caller caller,
        TalentPipelineDbContext db, CancellationToken cancellationToken)
    {
        if (!caller.CanActFor(collegeId)) return Problems.NotFound();
        var trainee = await db.Trainees.AsNoTracking().FirstOrDefaultAsync(t => t.CollegeId == collegeId && t.TraineeRef == traineeRef, cancellationToken);
        if (trainee is null || trainee.Events == 0) return Problems.NotFound();
        var history = await db.PlacementEvents.AsNoTracking()
            .Where(e => e.CollegeId == collegeId && e.TraineeRef == traineeRef)
            .OrderBy(e => e.OccurredAt).ThenBy(e => e.EventId)
            .Select(e => new TraineeEventResponse(e.EventId, e.ProgramId, e.Type, e.OccurredAt, e.EnterpriseId, e.Flag, e.AcceptedAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new TraineeResponse(trainee.CollegeId, trainee.TraineeRef, trainee.ConsortiumId, trainee.ProgramId, trainee.Stage,
            trainee.StageOccurredAt, history));
    }

    private static async Task<Results<Ok<DataQualityResponse>, ValidationProblem, ProblemHttpResult>> GetDataQualityAsync(Guid? collegeId, Caller caller,
        TalentPipelineDbContext db, CancellationToken cancellationToken)
    {
        if (collegeId is null && !caller.IsOperator) return Problems.Validation(("collegeId", "Required: your own organization's id."));
        if (collegeId is { } id && !caller.CanActFor(id)) return Problems.NotFound();
        var flagged = db.PlacementEvents.AsNoTracking().Where(e => e.Flag != null);
        if (collegeId is { } c) flagged = flagged.Where(e => e.CollegeId == c);
        var byFlag = await flagged.GroupBy(e => e.Flag!.Value).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var recent = await flagged.OrderByDescending(e => e.AcceptedAt).ThenBy(e => e.EventId).Take(50)
            .Select(e => new FlaggedEventResponse(e.CollegeId, e.EventId, e.TraineeRef, e.Type, e.OccurredAt, e.Flag!.Value))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new DataQualityResponse(collegeId, byFlag.Sum(f => f.Count),
            byFlag.ToDictionary(f => ApiEnum.Name(f.Key), f => f.Count), recent));
    }

    // The handler reads a JsonElement; partners' generators need the two shapes it accepts.
    private static async Task DescribeOneEventOrBatchAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var single = await ComponentAsync(typeof(PlacementEventRequest), context, cancellationToken);
        var batch = await ComponentAsync(typeof(PlacementBatchRequest), context, cancellationToken);
        // The batch's events are the same component, not a second inline copy of it.
        if (context.Document!.Components!.Schemas![nameof(PlacementBatchRequest)] is OpenApiSchema { Properties: { } properties }
            && properties.TryGetValue("events", out var events) && events is OpenApiSchema array)
            array.Items = single;
        // The bound JsonElement would otherwise stay as an empty component that generators turn into a class.
        context.Document.Components.Schemas.Remove(nameof(JsonElement));
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = "{ \"events\": [...] } with 1 to 1,000 events, or one event on its own.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                // The batch first: generators that take the first of a oneOf (NSwag) can then send any submission.
                [MediaTypeNames.Application.Json] = new() { Schema = new OpenApiSchema { OneOf = [batch, single] } },
            },
        };
    }

    private static Task DescribeCsvBody(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = "UTF-8 CSV (RFC 4180), at most 1,000 rows: a header eventId,collegeId,programId,traineeRef,type,occurredAt,enterpriseId " +
                          "(enterpriseId optional), then one event per line.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [CsvMediaType] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
        };
        return Task.CompletedTask;
    }

    private static async Task<IOpenApiSchema> ComponentAsync(Type type, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var document = context.Document ?? throw new InvalidOperationException("The OpenAPI operation has no document.");
        if (document.Components?.Schemas?.ContainsKey(type.Name) != true)
            document.AddComponent(type.Name, await context.GetOrCreateSchemaAsync(type, cancellationToken: cancellationToken));
        return new OpenApiSchemaReference(type.Name, document);
    }
}
