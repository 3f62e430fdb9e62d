extern alias dashboard;
using System.Text;
using dashboard::Platform.Dashboard.Features.Messaging;
using RabbitMQ.Client;

namespace Platform.Dashboard.Tests;

/// <summary>The trace id of an error-queue message, from the headers MassTransit writes (what the page links to the Aspire dashboard).</summary>
public sealed class ErrorMessageTraceTests
{
    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";

    private static ErrorMessageView View(Dictionary<string, object?>? headers, string body = "{}") =>
        ErrorQueues.View(new BasicProperties { MessageId = "m-1", Headers = headers }, Encoding.UTF8.GetBytes(body));

    [Fact]
    public void The_w3c_traceparent_header_gives_the_trace_id()
    {
        // AMQP delivers string headers as bytes.
        var view = View(new() { ["traceparent"] = Encoding.UTF8.GetBytes($"00-{TraceId}-00f067aa0ba902b7-01") });
        Assert.Equal(TraceId, view.TraceId);
    }

    [Fact]
    public void MassTransits_activity_id_header_gives_the_trace_id_and_upper_case_is_normalized()
    {
        var view = View(new()
        {
            ["MT-Activity-Id"] = Encoding.UTF8.GetBytes($"00-{TraceId.ToUpperInvariant()}-00f067aa0ba902b7-01"),
            ["MT-Fault-Message"] = Encoding.UTF8.GetBytes("boom"),
        });
        Assert.Equal(TraceId, view.TraceId);
        Assert.Equal("boom", view.Fault.Message);
    }

    [Fact]
    public void Without_transport_headers_the_envelopes_headers_are_read()
    {
        var body = $$"""{ "messageType": ["urn:message:Probe"], "headers": { "MT-Activity-Id": "00-{{TraceId}}-00f067aa0ba902b7-01" }, "message": {} }""";
        var view = View(null, body);
        Assert.Equal(TraceId, view.TraceId);
        Assert.Equal("urn:message:Probe", view.MessageType);
    }

    [Theory]
    [InlineData("00-00000000000000000000000000000000-00f067aa0ba902b7-01")]
    [InlineData("00-4bf92f3577b34da6-00f067aa0ba902b7-01")]
    [InlineData("|4bf92f3577b34da6a3ce929d0e0e4736.00f067aa0ba902b7.")]
    [InlineData("00-zzf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")]
    [InlineData("")]
    public void A_missing_or_malformed_trace_context_gives_no_trace_id(string traceParent)
    {
        Assert.Null(View(new() { ["traceparent"] = Encoding.UTF8.GetBytes(traceParent) }).TraceId);
        Assert.Null(View(null, "not json").TraceId);
    }
}
