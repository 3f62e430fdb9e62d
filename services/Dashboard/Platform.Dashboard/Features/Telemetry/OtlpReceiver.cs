using System.Buffers;
using System.IO.Compression;
using Google.Protobuf;
using Microsoft.AspNetCore.Http.HttpResults;
using Platform.Dashboard.Otlp.Collector.Logs;
using Platform.Dashboard.Otlp.Collector.Metrics;
using Platform.Dashboard.Otlp.Collector.Trace;

namespace Platform.Dashboard.Features.Telemetry;

/// <summary>
/// OTLP/HTTP with binary protobuf (<c>application/x-protobuf</c>, optionally gzip): <c>POST /v1/traces</c>,
/// <c>/v1/metrics</c>, <c>/v1/logs</c>, as the services' OpenTelemetry exporters send them. Anonymous: the
/// dashboard listens on 127.0.0.1 only, like every service.
/// </summary>
public static class OtlpReceiver
{
    private const string Protobuf = "application/x-protobuf";

    public static IEndpointRouteBuilder MapOtlpReceiver(this IEndpointRouteBuilder endpoints)
    {
        var otlp = endpoints.MapGroup("/v1").ExcludeFromDescription();
        otlp.MapPost("/traces", (HttpRequest request, TelemetryStores stores, OtlpTranslation translation) =>
            ReceiveAsync(request, stores, ExportTraceServiceRequest.Parser, export =>
            {
                var spans = translation.Spans(export);
                stores.Spans.Add(spans);
                stores.Saw(spans.Select(s => s.Service).Distinct());
                return new ExportTraceServiceResponse();
            }));
        otlp.MapPost("/logs", (HttpRequest request, TelemetryStores stores, OtlpTranslation translation) =>
            ReceiveAsync(request, stores, ExportLogsServiceRequest.Parser, export =>
            {
                var entries = translation.Logs(export);
                stores.Logs.Add(entries);
                stores.Saw(entries.Select(s => s.Service).Distinct());
                return new ExportLogsServiceResponse();
            }));
        otlp.MapPost("/metrics", (HttpRequest request, TelemetryStores stores, OtlpTranslation translation) =>
            ReceiveAsync(request, stores, ExportMetricsServiceRequest.Parser, export =>
            {
                translation.AddMetrics(export, stores.Metrics);
                stores.Saw(export.ResourceMetrics.Select(r => OtlpTranslation.ServiceName(r.Resource)).Distinct());
                return new ExportMetricsServiceResponse();
            }));
        return endpoints;
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ReceiveAsync<TRequest>(
        HttpRequest request, TelemetryStores stores, MessageParser<TRequest> parser, Func<TRequest, IMessage> store)
        where TRequest : IMessage<TRequest>
    {
        if (!string.Equals(request.ContentType?.Split(';')[0].Trim(), Protobuf, StringComparison.OrdinalIgnoreCase))
            return TypedResults.Problem($"Only OTLP/HTTP with binary protobuf is accepted (Content-Type: {Protobuf}).", statusCode: StatusCodes.Status415UnsupportedMediaType);
        if (request.ContentLength > stores.Limits.MaxRequestBytes)
            return TypedResults.Problem($"An export may be at most {stores.Limits.MaxRequestBytes} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge);

        TRequest export;
        try
        {
            var gzip = string.Equals(request.Headers.ContentEncoding, "gzip", StringComparison.OrdinalIgnoreCase);
            export = gzip ? await ParseGzipAsync(request, stores.Limits.MaxRequestBytes, parser) : await ParseAsync(request, stores.Limits.MaxRequestBytes, parser);
        }
        catch (InvalidProtocolBufferException e)
        {
            return TypedResults.Problem($"The body is not a valid OTLP export request: {e.Message}", statusCode: StatusCodes.Status400BadRequest);
        }
        catch (InvalidDataException e)
        {
            return TypedResults.Problem($"The gzip body could not be read: {e.Message}", statusCode: StatusCodes.Status400BadRequest);
        }
        catch (RequestTooLargeException)
        {
            return TypedResults.Problem($"An export may be at most {stores.Limits.MaxRequestBytes} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }
        return TypedResults.Bytes(store(export).ToByteArray(), Protobuf);
    }

    /// <summary>Reads the whole body from the pipe and parses it without copying it into one array.</summary>
    private static async Task<TRequest> ParseAsync<TRequest>(HttpRequest request, int maxBytes, MessageParser<TRequest> parser)
        where TRequest : IMessage<TRequest>
    {
        var reader = request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(request.HttpContext.RequestAborted);
            if (read.Buffer.Length > maxBytes)
            {
                reader.AdvanceTo(read.Buffer.Start);
                throw new RequestTooLargeException();
            }
            if (read.IsCompleted)
            {
                try
                {
                    return parser.ParseFrom(read.Buffer);
                }
                finally
                {
                    reader.AdvanceTo(read.Buffer.End);
                }
            }
            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    private static async Task<TRequest> ParseGzipAsync<TRequest>(HttpRequest request, int maxBytes, MessageParser<TRequest> parser)
        where TRequest : IMessage<TRequest>
    {
        await using var gzip = new GZipStream(request.Body, CompressionMode.Decompress);
        var buffer = new ArrayBufferWriter<byte>();
        while (true)
        {
            var read = await gzip.ReadAsync(buffer.GetMemory(64 * 1024), request.HttpContext.RequestAborted);
            if (read == 0) break;
            buffer.Advance(read);
            if (buffer.WrittenCount > maxBytes) throw new RequestTooLargeException();
        }
        return parser.ParseFrom(buffer.WrittenSpan);
    }

    private sealed class RequestTooLargeException : Exception;
}
